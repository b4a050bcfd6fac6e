#!/bin/sh
# clang-format (Debian 12: clang-format 14) with the tree's .clang-format over every C++ file the
# repository tracks; any line it would change fails the test and is shown. Fix with:
#   git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
# Usage: format.sh <clang-format>. Fails with a hint when the program or git is missing.
clang_format="$1"
cd "$(dirname "$0")/../.." || exit 1
if [ -z "$clang_format" ] || [ "$clang_format" = CLANG_FORMAT_PROGRAM-NOTFOUND ]; then
  echo "format_cpp: clang-format is missing (Debian: apt-get install clang-format)" >&2
  exit 1
fi
files=$(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc' 2>/dev/null)
if [ -z "$files" ]; then
  # Not a git checkout (an unpacked archive): every C++ file under the project's folders.
  files=$(find bench common fuzz services sim tests -path '*/node_modules' -prune -o \
    \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \) -print)
fi
# shellcheck disable=SC2086 # one file name per word: the tree has no spaces in C++ file names
exec "$clang_format" --dry-run --Werror $files
