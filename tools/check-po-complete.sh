#!/bin/sh
# Fails when a translation misses a string that exists in the sources:
# extracts the current strings (as `meson compile leads-pot` does, with
# GLib's keywords), merges them into a copy of po/LANG.po and counts
# untranslated and fuzzy messages.
# Usage: check-po-complete.sh SOURCE_ROOT LANG
set -eu
root=$1
lang=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
grep -v '^#' po/POTFILES.in | grep -v '^$' > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format \
  --files-from="$tmp/files" --output="$tmp/leads.pot" 2>"$tmp/xgettext.log" || {
    cat "$tmp/xgettext.log"; exit 1; }
# A format macro such as G_GINT64_FORMAT inside a translatable string cuts
# the extracted msgid short ("Used by %"): the running program then never
# finds its translation. Write such strings with %lld and a cast.
if grep -nE '^msgid(_plural)? ".*[^%]%"$' "$tmp/leads.pot"; then
  echo "a translatable string uses a format macro (see above); use %lld and a cast"
  exit 1
fi
msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/leads.pot" -o "$tmp/$lang.po"
stats=$(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
echo "$lang: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    echo "missing translations:"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | tail -n +2
    exit 1 ;;
esac
