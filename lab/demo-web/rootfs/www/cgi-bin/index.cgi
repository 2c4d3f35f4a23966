#!/bin/busybox sh
# GET / (busybox httpd runs /cgi-bin/index.cgi for a directory without index.html).
# Shell builtins only; writes nothing.
version=unknown
read -r version </www/version || :
name="${CONTAINER_NAME:-${HOSTNAME:-}}"
[ -n "$name" ] || name="$(/bin/busybox hostname)"
esc() { s="$1"; s="${s//&/&amp;}"; s="${s//</&lt;}"; s="${s//>/&gt;}"; s="${s//\"/&quot;}"; printf '%s' "$s"; }
case "$version" in
  1.0.*) color="#2563eb" ;;
  1.1.*) color="#16a34a" ;;
  2.*)   color="#ea580c" ;;
  *)     color="#6b7280" ;;
esac
v="$(esc "$version")"; n="$(esc "$name")"
printf 'Content-Type: text/html; charset=utf-8\r\n'
printf 'Cache-Control: no-store\r\n'
printf 'X-Demo-Version: %s\r\n' "$version"
printf '\r\n'
cat <<HTML
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>demo-web ${v}</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; background: #f8fafc; color: #0f172a; }
  main { max-width: 32rem; margin: 4rem auto; padding: 2rem; background: #fff;
         border-top: 0.5rem solid ${color}; border-radius: 0.5rem; box-shadow: 0 1px 3px #0002; }
  .label { margin: 0; color: #64748b; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8rem; }
  h1 { margin: 0.25rem 0 1rem; font-size: 3rem; color: ${color}; }
  code { background: #f1f5f9; padding: 0.1rem 0.3rem; border-radius: 0.25rem; }
</style>
</head>
<body data-version="${v}" data-container="${n}">
<main>
  <p class="label">demo-web</p>
  <h1 id="version">${v}</h1>
  <p>Served by container <code id="container">${n}</code></p>
</main>
</body>
</html>
HTML
