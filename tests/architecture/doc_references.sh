#!/bin/sh
# doc_references.sh SOURCE_ROOT
# Every reference in the tree to a document resolves inside the repository:
#  - each docs/<name>.md named anywhere exists;
#  - each "docs/<name>.md §N" names a heading N of that file, and each 'docs/<name>.md, "Title"'
#    a heading or bold term with that title;
#  - nothing points at documents the repository does not have (research notes outside it, a
#    bare "spec §" without the file): the innovaphone wire facts are in docs/spec/.
set -u
cd "$1" || exit 2
status=0
files=$(git ls-files 2>/dev/null | grep -vE '^docs/spec/|node_modules/|\.(png|svg|bmp|ico)$' ||
        find . -type f ! -path './build*' ! -path '*/node_modules/*' ! -path './docs/spec/*' ! -path './.git/*' | sed 's|^\./||')
[ -n "$files" ] || { echo "no files found under $1" >&2; exit 2; }
refs=$(printf '%s\n' "$files" | xargs grep -hoIE 'docs/[a-z/_-]+\.md( §[A-Z0-9][A-Za-z0-9.]*)?' | sort -u)
for ref in $refs; do
  case "$ref" in §*) continue ;; esac
  [ -f "$ref" ] || { echo "missing document: $ref" >&2; status=1; }
done
printf '%s\n' "$files" | xargs grep -hoIE 'docs/[a-z/_-]+\.md §[A-Z0-9][A-Za-z0-9.]*' | sort -u |
while read -r doc sec; do
  n=$(printf '%s' "${sec#§}" | sed 's/\.$//; s/\./\\./g')
  [ -f "$doc" ] && grep -qE "^#+ $n([.: ]|\$)" "$doc" || { echo "no section $sec in $doc" >&2; echo x; }
done | grep -q x && status=1
printf '%s\n' "$files" | xargs grep -hoIE 'docs/[a-z/_-]+\.md,? §?"[^"]+"' | sort -u |
while IFS= read -r ref; do
  doc=$(printf '%s' "$ref" | grep -oE '^docs/[a-z/_-]+\.md')
  title=$(printf '%s' "$ref" | sed -E 's/^[^"]*"([^"]+)"$/\1/')
  grep -E '^#+ |\*\*' "$doc" 2>/dev/null | grep -qiF -- "$title" || { echo "no section \"$title\" in $doc" >&2; echo x; }
done | grep -q x && status=1
outside=$(printf '%s\n' "$files" | xargs grep -nIiE 'engineering[ -]notes|\.\./shared/|(^|[^/a-z])spec/[a-z]|\bspec (appwebsocket|devices-api|phones)\b|(^|[ (])spec §' |
          grep -v '^tests/architecture/doc_references.sh' || true)
if [ -n "$outside" ]; then
  echo "references to documents outside the repository (cite docs/spec/<file>.md §N or state the fact):" >&2
  printf '%s\n' "$outside" >&2
  status=1
fi
[ $status = 0 ] && echo "every document reference resolves inside the repository"
exit $status
