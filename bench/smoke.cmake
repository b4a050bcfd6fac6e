# bench_smoke: runs every benchmark with --smoke and checks that it exits with 0 and prints at
# least one `figure` line. No timing is asserted.
# "prog|flag": the same program once more with that flag (the TLS variants).
foreach(entry mpk_bench_lcd mpk_bench_registry mpk_bench_fanout mpk_bench_fanout|--tls mpk_bench_phone_scale
              mpk_bench_phone_scale|--tls)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 prog)
  set(flag "")
  list(LENGTH parts n)
  if(n GREATER 1)
    list(GET parts 1 flag)
  endif()
  execute_process(COMMAND ${BENCH_DIR}/${prog} --smoke ${flag}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
  message(STATUS "${prog} ${flag}:\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${prog} --smoke ${flag} failed (${rc}): ${err}")
  endif()
  if(NOT out MATCHES "(^|\n)figure [^ ]+ [0-9.-]+ ")
    message(FATAL_ERROR "${prog} --smoke ${flag} printed no figure line")
  endif()
endforeach()
