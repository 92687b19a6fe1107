#!/bin/sh
# Offline check of a flatpak-builder manifest: it must parse as JSON, and
# `flatpak-builder --show-manifest` must accept it without warnings.
# Usage: check-manifest.sh MANIFEST   (FLATPAK_BUILDER overrides the binary)
set -eu

manifest=${1:?usage: check-manifest.sh MANIFEST}
flatpak_builder=${FLATPAK_BUILDER:-flatpak-builder}

python3 -m json.tool "$manifest" >/dev/null

err=$(mktemp)
trap 'rm -f "$err"' EXIT

if ! "$flatpak_builder" --show-manifest "$manifest" >/dev/null 2>"$err"; then
    echo "flatpak-builder --show-manifest failed:" >&2
    cat "$err" >&2
    exit 1
fi

if grep -q WARNING "$err"; then
    echo "flatpak-builder --show-manifest printed warnings:" >&2
    cat "$err" >&2
    exit 1
fi

echo "$manifest: OK"
