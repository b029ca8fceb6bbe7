# Sourced by tools/dist_train.sh: host_python ROOT CONFIG prints the Python that runs CONFIG.
# $PYTHON if set; else the active virtual environment's; else the repo environment of the config's host
# (its default_scope: .venv for MMSelfSup, .venv-mmpretrain for MMPretrain; docs/install.md); else python.
host_python() {
  local root=$1 config=$2 reader="" env scope
  if [[ -n "${PYTHON:-}" ]]; then echo "$PYTHON"; return; fi
  if [[ -n "${VIRTUAL_ENV:-}" ]]; then echo "$VIRTUAL_ENV/bin/python"; return; fi
  for env in .venv .venv-mmpretrain; do
    [[ -x "$root/$env/bin/python" ]] && { reader="$root/$env/bin/python"; break; }
  done
  [[ -n $reader ]] || { echo python; return; }
  scope=$("$reader" -c 'import sys; from mmengine.config import Config
print(Config.fromfile(sys.argv[1], import_custom_modules=False).get("default_scope", ""))' "$config" 2>/dev/null | tail -1) || true
  if [[ $scope == mmpretrain && -x "$root/.venv-mmpretrain/bin/python" ]]; then
    echo "$root/.venv-mmpretrain/bin/python"
  else
    echo "$reader"
  fi
}
