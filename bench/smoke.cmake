# bench_smoke: runs every benchmark with --smoke and checks that it exits with 0 and prints at
# least one `figure` line. No timing is asserted.
foreach(prog mpk_bench_lcd mpk_bench_registry mpk_bench_fanout mpk_bench_phone_scale)
  execute_process(COMMAND ${BENCH_DIR}/${prog} --smoke
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
  message(STATUS "${prog}:\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${prog} --smoke failed (${rc}): ${err}")
  endif()
  if(NOT out MATCHES "(^|\n)figure [^ ]+ [0-9.-]+ ")
    message(FATAL_ERROR "${prog} --smoke printed no figure line")
  endif()
endforeach()
