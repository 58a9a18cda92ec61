#!/usr/bin/env bash
# JupyterLab on scratch copies of the notebooks, so that exploring never changes the repository:
# notebooks/*.ipynb are copied once into .lab/ (git ignores it; delete .lab/ for fresh copies),
# and JupyterLab's autosave writes outputs there, never into the committed notebooks.
# As root (the default in containers) JupyterLab refuses to start without --allow-root; it is added, with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
JUPYTER="${JUPYTER:-.venv/bin/jupyter}"
mkdir -p .lab
for nb in notebooks/*.ipynb; do
    [ -e ".lab/$(basename "$nb")" ] || cp "$nb" ".lab/$(basename "$nb")"
done
args=(lab .lab)
if [ "$(id -u)" = "0" ]; then
    echo "note: running as root (as in a container), so JupyterLab is started with --allow-root" >&2
    args+=(--allow-root)
fi
echo "JupyterLab opens scratch copies in .lab/; notebooks/ stays as committed (delete .lab/ to start again from it)" >&2
exec "$JUPYTER" "${args[@]}" "$@"
