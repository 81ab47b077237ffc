#!/usr/bin/env bash
# Builds the libFuzzer target for the kiosk's input path and runs it.
#   Tests/Fuzz/run.sh [seconds] [extra libFuzzer flags...]
# Not SwiftPM: KioskCore's sources, the tests' content fixture and Tests/Fuzz/FuzzSession.swift are compiled as one
# module with swiftc -sanitize=fuzzer,address. Crashes land in .build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-120}"
shift || true

out=.build/fuzz
mkdir -p "$out/corpus" "$out/artifacts"
binary="$out/fuzz-session"

# A snapshot of the sources, so that an edit during the build does not stop it.
rm -rf "$out/src" && mkdir -p "$out/src"
cp -R Sources/KioskCore "$out/src/KioskCore"
cp Tests/Fuzz/FuzzSession.swift "$out/src/FuzzSession.swift"
# The content fixture the other tests use, minus its import (one module here).
sed '/^import KioskCore$/d' Tests/KioskTestSupport/Fixture.swift > "$out/src/Fixture.swift"
# The renderer has no readline in it: compile it into the same module, minus its import,
# with the QR code's layout and libqrencode (CQRencode's module map, linked as usual).
renderer=(Renderer.swift Renderer+QRCode.swift QRCode.swift)
for file in "${renderer[@]}"; do
    sed '/^import KioskCore$/d' "Sources/KioskTerminal/$file" > "$out/src/$file"
done
mapfile -t sources < <(find "$out/src/KioskCore" -name '*.swift' | sort)
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
echo "building $binary (-sanitize=$sanitizers, ${#sources[@]} KioskCore files + the renderer)" >&2
swiftc -sanitize="$sanitizers" -parse-as-library -O -g \
    -module-name FuzzSession -D FUZZ_RENDERER -I Sources/CQRencode -lqrencode \
    "${sources[@]}" "${renderer[@]/#/$out/src/}" "$out/src/Fixture.swift" "$out/src/FuzzSession.swift" \
    -o "$binary" 2> >(grep -v "ld.gold: warning: Cannot export local symbol" >&2)

# Seed corpus: whole sessions, typed the way the fixture expects, plus a few hostile lines.
seed() { printf '%b' "$2" > "$out/corpus/seed-$1"; }
seed selfcare-book   '\n3\n3\n1\n1, 2\n4\n2\n2\n3\n3\n1\n1\n1, 2\nAna María\n555 010 0199\n1\n\n'
seed spanish         '2\n3\nidioma\n1\n3\natrás\n3\n3\n1\n1\nlanguage\n2\n'
seed emergency       '\n1\n1\n\n'
seed emergency-back  '\n1\nback\n3\n3\n'
seed doctor-soon     '\n3\n1\n1\n1\n1\nLee\nlee@example.com\n1\n\n'
seed crash-recent    '\n3\n3\n1\n2\n5\n1\n1\nback\nback\n3\n'
seed named           '\n3\n3\n2\n1\n3\n3\n3\n1\n3\n2\nam, pm\nBo\n+1 (555) 010-0199\n2\n\n'
seed commands        '\nhelp\n?\nback\n3\nrestart\n\n3\n3\n\x04\n2\n\x05\n\n\x05\n\x05\n'
seed hostile         '\n\x1b[2J\n\xe2\x80\xae3\n\xc2\x9b3\n\xff\xfe\n3\n3\n1\n\x00\n'
seed names           '\n3\n3\n1\n1\n4\n2\n3\n3\n1\n1\n1\n\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f e\xcc\x81\n555 010 0199\n1\n\n'

echo "fuzzing for $seconds s" >&2
# Swift's own crash backtracer and ASan get in each other's way: let ASan report.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# detect_leaks=0 (here and in ASAN_OPTIONS above): LeakSanitizer cannot follow Swift's tagged pointers (String and Array
# storage with flag bits), so the content built once in a global shows as "leaked".
exec "$binary" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -detect_leaks=0 \
    -dict=Tests/Fuzz/session.dict \
    -artifact_prefix="$out/artifacts/" "$@" "$out/corpus"
