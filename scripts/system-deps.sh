#!/usr/bin/env bash
# System libraries the PDF step needs (WeasyPrint renders with Pango). Installs them with
# apt-get when they are missing and we are root on Debian/Ubuntu; otherwise says what to install.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
   && { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -n 1)" ]; }; then
  exit 0
fi
packages="libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages for PDF rendering: $packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
else
  echo "warning: PDF rendering needs Pango and a font; install: $packages (Debian/Ubuntu names)" >&2
fi
