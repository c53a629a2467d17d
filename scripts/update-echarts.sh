#!/usr/bin/env bash
# Refreshes the Apache ECharts file the web app serves (no front-end build step: the npm package's
# prebuilt dist/echarts.min.js is copied as a static file, with its LICENSE and NOTICE).
# Usage: bash scripts/update-echarts.sh [version]   (default: the version recorded in VERSION)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/EduBureau.Web/wwwroot/lib/echarts"
version="${1:-$(cat "$dest/VERSION")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "echarts@$version" --silent >/dev/null && tar xzf "echarts-$version.tgz")
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$dest/"
echo "$version" > "$dest/VERSION"
echo "echarts $version -> $dest"
