#!/bin/sh
# The algorithm under test of tests/browser/viewers_browser_test.cpp: scales the values of a CSV
# input (name,value) by its gain and writes a text summary, a CSV table, a JSON result, an HTML
# page (with a script that must not run), a plotly figure and a PLY point cloud, with sh and awk,
# and copies the video of its gain (data/clip-<gain>.webm, made by make_video.mjs).
# The test commits it twice, with gain 2 and then 3.
set -eu
in=$1
out=$2
gain=@GAIN@
{
  echo "summary of $(basename "$in")"
  echo "gain: $gain"
  sort "$in"
  i=1
  while [ "$i" -le 20 ]; do echo "constant line $i"; i=$((i + 1)); done
} > "$out/summary.txt"
awk -F, -v g="$gain" 'BEGIN { print "name,value,scaled" } NR > 1 { print $1 "," $2 "," $2 * g }' \
  "$in" > "$out/table.csv"
awk -F, -v g="$gain" '
  BEGIN { printf "{\"gain\": %s, \"items\": {", g }
  NR > 1 { printf "%s\"%s\": %s", (NR > 2 ? ", " : ""), $1, $2 * g }
  END { print "}, \"label\": \"</script><img src=x onerror=window.pwned=6>\", \"link\": \"javascript:window.pwned=7\"}" }' \
  "$in" > "$out/result.json"
awk -F, -v g="$gain" '
  BEGIN { printf "{\"data\": [{\"type\": \"scatter\", \"mode\": \"lines+markers\", \"name\": \"scaled\", \"y\": [" }
  NR > 1 { printf "%s%s", (NR > 2 ? ", " : ""), $2 * g }
  END { print "]}], \"layout\": {\"title\": {\"text\": \"scaled values\"}}}" }' \
  "$in" > "$out/figure.json"
cat > "$out/page.html" <<HTML
<!DOCTYPE html>
<html><body><h1>gain $gain</h1><p id="msg">static</p>
<script>document.getElementById('msg').textContent = 'script ran'; parent.pwned = 3;</script>
<a href="javascript:parent.pwned=5">link</a></body></html>
HTML
awk -v g="$gain" 'BEGIN {
  n = 400
  print "ply"; print "format ascii 1.0"; print "element vertex " n
  print "property float x"; print "property float y"; print "property float z"
  print "property uchar red"; print "property uchar green"; print "property uchar blue"
  print "end_header"
  for (i = 0; i < n; i++) {
    x = i % 20; y = int(i / 20)
    printf "%d %d %.3f %d %d %d\n", x, y, sin(x / 3) * g, 200, 10 * y, 50
  }
}' > "$out/points.ply"
cp "$(dirname "$in")/clip-$gain.webm" "$out/clip.webm"
