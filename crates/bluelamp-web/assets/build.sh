#!/usr/bin/env bash
# Rebuild Bluelamp's vendored front-end assets into assets/static/.
#
# For maintainers only: needs Node.js >= 20.19 (Dart Sass 1.108 requires it)
# and npm with access to the npm registry. Building and running Bluelamp itself
# needs neither: the outputs are committed. See assets/README.md.
#
# Usage: crates/bluelamp-web/assets/build.sh   (from any directory)
set -euo pipefail

GOVUK_FRONTEND_VERSION=6.6.0
SASS_VERSION=1.108.2
HTMX_VERSION=2.0.11

assets="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
static="$assets/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "build.sh: installing govuk-frontend@$GOVUK_FRONTEND_VERSION sass@$SASS_VERSION htmx.org@$HTMX_VERSION into $work"
cd "$work"
printf '{"name":"bluelamp-assets-build","private":true}\n' > package.json
# --ignore-scripts: nothing here needs an install script (sass's optional
# @parcel/watcher is only for --watch).
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
  "sass@$SASS_VERSION" \
  "htmx.org@$HTMX_VERSION" >/dev/null

nm="$work/node_modules"
gf="$nm/govuk-frontend"
check_version() { # package expected
  local got
  got="$(node -p "require('$nm/$1/package.json').version")"
  [ "$got" = "$2" ] || { echo "build.sh: $1 is $got, expected $2" >&2; exit 1; }
}
check_version govuk-frontend "$GOVUK_FRONTEND_VERSION"
check_version sass "$SASS_VERSION"
check_version htmx.org "$HTMX_VERSION"

mkdir -p "$static/licences"

# 1. CSS. No source map: the map would embed GOV.UK Frontend's sources.
"$nm/.bin/sass" --style=compressed --no-source-map \
  --load-path="$nm" \
  "$assets/bluelamp.scss" "$static/bluelamp.css"

# 2. GOV.UK Frontend JS: the ES module bundle (load with type="module").
#    Drop the sourceMappingURL comment: the .map is not shipped.
sed -e 's|//# sourceMappingURL=govuk-frontend\.min\.js\.map$||' \
  "$gf/dist/govuk/govuk-frontend.min.js" > "$static/govuk-frontend.min.js"

# 3. htmx (classic script).
cp "$nm/htmx.org/dist/htmx.min.js" "$static/htmx.min.js"

# 4. Licences. The govuk-frontend npm package ships no LICENSE file (only its
#    README's "Licence" section), so the MIT text of the project's LICENSE.txt
#    is written here; check the README still says MIT first.
grep -q 'the codebase is released under the MIT License' "$gf/README.md" || {
  echo "build.sh: govuk-frontend README no longer says MIT: check its licence" >&2
  exit 1
}
cat > "$static/licences/govuk-frontend-LICENSE.txt" <<'LICENCE'
govuk-frontend 6.6.0 (https://github.com/alphagov/govuk-frontend)

The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
sed -i "1s/6\.6\.0/$GOVUK_FRONTEND_VERSION/" "$static/licences/govuk-frontend-LICENSE.txt"
{
  echo "htmx $HTMX_VERSION (https://github.com/bigskysoftware/htmx)"
  echo
  cat "$nm/htmx.org/LICENSE"
} > "$static/licences/htmx-LICENSE.txt"

# 5. No GOV.UK branding may reach the outputs.
fail=0
for needle in 'GDS Transport' '@font-face' 'govuk-crest' 'assets/fonts' 'assets/images' '.woff'; do
  if grep -qF -- "$needle" "$static/bluelamp.css" "$static/govuk-frontend.min.js"; then
    echo "build.sh: found '$needle' in the outputs" >&2
    fail=1
  fi
done
[ "$fail" = 0 ] || exit 1

cd "$static"
echo "build.sh: done"
wc -c bluelamp.css govuk-frontend.min.js htmx.min.js
sha256sum bluelamp.css govuk-frontend.min.js htmx.min.js
