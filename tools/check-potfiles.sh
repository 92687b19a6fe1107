#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in (or a listed file no longer exists).
# Usage: check-potfiles.sh SOURCE_ROOT
set -eu
cd "${1:-.}"
status=0
for f in $(grep -lE '(^|[^A-Za-z_])N?_\(|g_dngettext|translatable="yes"' \
             src/*/*.c src/*.c ui/*.ui ui/gtk/*.ui 2>/dev/null | sort); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "missing from po/POTFILES.in: $f"
    status=1
  fi
done
for f in $(grep -v '^#' po/POTFILES.in); do
  if [ ! -e "$f" ]; then
    echo "listed in po/POTFILES.in but missing: $f"
    status=1
  fi
done
exit $status
