#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Agreement: for every ELF executable in $PATH, the library set the
# host-runtime resolver computes (by reading ELF files) must equal the set
# the dynamic loader itself reports with `ld.so --list`, compared by real
# path. The only principled differences, named here and in
# docs/host-runtime.md:
#   - vdso: linux-vdso.so.1 is mapped by the kernel, not loaded from a file;
#     ld.so lists it without a path, we grant nothing for it.
#   - foreign-interp: executables whose PT_INTERP is not this ld.so (another
#     libc, another architecture) are not compared: this ld.so cannot speak
#     for them.
#   - ld.so.cache: we also grant read on the cache, which ld.so reads but
#     does not list.
#   - static: `ld.so --list` on a statically linked executable crashes
#     (SIGSEGV, glibc 2.36) and prints nothing; we grant nothing for it
#     either, so those still compare equal (counted separately).
# SBX_HOSTRT_AGREEMENT_MUTATE=1 drops one library from our side, to prove
# the comparison can fail.
# The test (not the resolver) runs ld.so; each executable is passed by its
# real path so that $ORIGIN means the same thing to both (as when the
# kernel starts a program, /proc/self/exe).
. "$(dirname "$0")/lib.sh"

helper=$SBX_HELPERS/hostrt_closure
ldso=${SBX_LDSO:-/lib64/ld-linux-x86-64.so.2}
if [ ! -x "$helper" ] || [ ! -x "$ldso" ]; then
	echo "skip - hostrt agreement: needs $helper and $ldso"
	exit 0
fi
ldso_real=$(realpath "$ldso")

"$helper" --list-elf | sort -u >"$SBX_TMP/exes"
n_exes=$(wc -l <"$SBX_TMP/exes")
if [ "$n_exes" -eq 0 ]; then
	fail "hostrt agreement: executables found" "no ELF executable in PATH=$PATH"
	exit 0
fi

# What ld.so says, one block per executable.
while IFS= read -r exe; do
	printf '== %s\n' "$exe"
	env -u LD_PRELOAD -u LD_AUDIT "$ldso" --list "$exe" 2>&1
	printf 'rc=%s\n' "$?"
done <"$SBX_TMP/exes" >"$SBX_TMP/ldso.out" 2>/dev/null

# What we say, same blocks.
tr '\n' '\0' <"$SBX_TMP/exes" | xargs -0 "$helper" --files >"$SBX_TMP/ours.out"
if [ "${SBX_HOSTRT_AGREEMENT_MUTATE:-0}" = 1 ]; then
	awk '!done && /^shared library/ { done = 1; next } 1' "$SBX_TMP/ours.out" >"$SBX_TMP/m"
	mv "$SBX_TMP/m" "$SBX_TMP/ours.out"
fi

# Real paths of everything ld.so printed, resolved in one go.
grep -oE '(=> )?/[^ ]+ \(0x' "$SBX_TMP/ldso.out" | sed -E 's/^=> //; s/ \(0x$//' |
	sort -u >"$SBX_TMP/paths"
realpath -m -- $(cat "$SBX_TMP/paths") | paste "$SBX_TMP/paths" - >"$SBX_TMP/realmap"

awk -v ldso_real="$ldso_real" -v out="$SBX_TMP/report" '
FILENAME == ARGV[1] { real[$1] = $2; next }
FILENAME == ARGV[2] {
	if ($0 ~ /^== /) { exe = substr($0, 4); next }
	if ($0 ~ /^rc=/) { if (substr($0, 4) + 0 >= 128) crashed++; next }
	if ($0 ~ /linux-vdso\.so/) { vdso++; next }
	if ($0 ~ /error while loading/) { err[exe] = $0; next }
	p = ""
	if (match($0, /=> \/[^ ]+ \(0x/)) p = substr($0, RSTART + 3, RLENGTH - 7)
	else if (match($0, /^\t\/[^ ]+ \(0x/)) p = substr($0, RSTART + 1, RLENGTH - 5)
	if (p != "") theirs[exe, real[p]] = 1
	if (p != "") { nt[exe]++; tl[exe, nt[exe]] = real[p] }
	next
}
{
	if ($0 ~ /^== /) { exe = substr($0, 4); seen[exe] = 1; next }
	split($0, f, "\t")
	if (f[1] == "ld.so cache") next
	if (f[1] == "program interpreter") interp[exe] = f[2]
	ours[exe, f[2]] = 1
	no[exe]++; ol[exe, no[exe]] = f[2]
}
END {
	compared = 0; foreign = 0; bad = 0
	for (exe in seen) {
		if ((exe in interp) && interp[exe] != ldso_real) { foreign++; continue }
		compared++
		diff = ""
		for (i = 1; i <= nt[exe]; i++) if (!((exe, tl[exe, i]) in ours)) diff = diff " -" tl[exe, i]
		for (i = 1; i <= no[exe]; i++) if (!((exe, ol[exe, i]) in theirs)) diff = diff " +" ol[exe, i]
		if (diff != "") { bad++; print exe ":" diff (exe in err ? " [ld.so: " err[exe] "]" : "") > out }
	}
	printf "%d %d %d %d %d\n", compared, foreign, bad, vdso, crashed + 0
}' "$SBX_TMP/realmap" "$SBX_TMP/ldso.out" "$SBX_TMP/ours.out" >"$SBX_TMP/summary"

read -r compared foreign bad vdso static <"$SBX_TMP/summary"
echo "# hostrt agreement: $n_exes executables, $compared compared ($static static, ld.so crashed on them), $foreign foreign-interp, $vdso vdso lines ignored"
if [ "$bad" -eq 0 ] && [ "$compared" -gt 0 ]; then
	pass "hostrt agreement: $compared executables, same libraries as ld.so --list"
else
	fail "hostrt agreement" "$bad of $compared executables differ (- only ld.so, + only us): $(head -c 2000 "$SBX_TMP/report" 2>/dev/null)"
fi

# The whole-$PATH resolution (threads, memoized closures) must grant the
# same libraries as the per-executable runs above; it may add only the
# closures of #! interpreters outside $PATH (none expected here).
"$helper" --path | awk -F'\t' '$1 == "shared library" { print $2 }' | sort -u >"$SBX_TMP/path_libs"
awk -F'\t' '$1 == "shared library" { print $2 }' "$SBX_TMP/ours.out" | sort -u >"$SBX_TMP/union_libs"
if cmp -s "$SBX_TMP/path_libs" "$SBX_TMP/union_libs"; then
	pass "hostrt agreement: whole-\$PATH resolution = union of per-executable closures ($(wc -l <"$SBX_TMP/path_libs") libraries)"
else
	fail "hostrt agreement: whole-\$PATH resolution = union of per-executable closures" \
		"$(comm -3 "$SBX_TMP/path_libs" "$SBX_TMP/union_libs" | head -c 1000)"
fi

# The read-ahead threads change how fast, never what: the same output,
# byte for byte and in the same order, with none, one or four of them.
"$helper" --path >"$SBX_TMP/path_default"
for threads in 0 1 4; do
	"$helper" --threads "$threads" --path >"$SBX_TMP/path_t$threads"
	if cmp -s "$SBX_TMP/path_default" "$SBX_TMP/path_t$threads"; then
		pass "hostrt agreement: whole-\$PATH output with $threads read-ahead threads = default"
	else
		fail "hostrt agreement: whole-\$PATH output with $threads read-ahead threads = default" \
			"$(diff "$SBX_TMP/path_default" "$SBX_TMP/path_t$threads" | head -c 1000)"
	fi
done

# Part 2: loader rules that this host's $PATH may not exercise, on a tree
# compiled here: DT_RPATH inherited along the chain, DT_RUNPATH not,
# $ORIGIN, $LIB, LD_LIBRARY_PATH, a "not found" dependency.
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "skip - hostrt agreement on compiled fixtures: no C compiler"
	exit 0
fi
# $LIB as Debian's ld.so expands it: lib/<multiarch triplet>.
lib_dir=lib/$($cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
t=$SBX_TMP/tree
mkdir -p "$t/bin" "$t/lib/sub" "$t/$lib_dir" "$t/llp"
echo 'int sbx_b(void) { return 2; }' >"$t/b.c"
echo 'int sbx_c(void) { return 3; }' >"$t/c.c"
echo 'int sbx_b(void); int sbx_c(void); int sbx_a(void) { return sbx_b() + sbx_c(); }' >"$t/a.c"
echo 'int sbx_a(void); int main(void) { return sbx_a() == 5 ? 0 : 1; }' >"$t/main.c"
echo 'int sbx_b(void); int main(void) { return sbx_b() == 2 ? 0 : 1; }' >"$t/mainb.c"
build_ok=true
{
	$cc -shared -fPIC -o "$t/lib/libsbxb.so" "$t/b.c" &&
	$cc -shared -fPIC -o "$t/llp/libsbxb.so" "$t/b.c" &&
	$cc -shared -fPIC -o "$t/lib/sub/libsbxc.so" "$t/c.c" &&
	$cc -shared -fPIC -o "$t/$lib_dir/libsbxb.so" "$t/b.c" &&
	$cc -shared -fPIC -o "$t/lib/libsbxa.so" "$t/a.c" -L"$t/lib" -L"$t/lib/sub" -lsbxb -lsbxc \
		-Wl,--disable-new-dtags,-rpath,'$ORIGIN/sub' &&
	$cc -o "$t/bin/rpath" "$t/main.c" -L"$t/lib" -lsbxa -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../lib' &&
	$cc -o "$t/bin/runpath" "$t/main.c" -L"$t/lib" -lsbxa -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib' &&
	$cc -o "$t/bin/dollar-lib" "$t/mainb.c" -L"$t/lib" -lsbxb -Wl,--enable-new-dtags,-rpath,'${ORIGIN}/../$LIB' &&
	$cc -o "$t/bin/plain" "$t/mainb.c" -L"$t/lib" -lsbxb
} 2>"$SBX_TMP/cc.err" || build_ok=false
if ! $build_ok; then
	fail "hostrt agreement on compiled fixtures" "cannot build: $(head -c 300 "$SBX_TMP/cc.err")"
	exit 0
fi

# compare_one NAME EXE [LD_LIBRARY_PATH]
compare_one() {
	local name=$1 exe=$2 llp=${3:-} theirs ours
	theirs=$(env -u LD_PRELOAD ${llp:+LD_LIBRARY_PATH=$llp} "$ldso" --list "$exe" 2>&1 |
		grep -oE '(=> )?/[^ ]+ \(0x' | sed -E 's/^=> //; s/ \(0x$//' |
		while IFS= read -r p; do realpath -m -- "$p"; done | sort -u)
	ours=$(env ${llp:+LD_LIBRARY_PATH=$llp} "$helper" --files "$exe" |
		awk -F'\t' '$1 == "shared library" || $1 == "program interpreter" { print $2 }' | sort -u)
	if [ "$theirs" = "$ours" ]; then
		pass "hostrt agreement: $name"
	else
		fail "hostrt agreement: $name" "ld.so: [$(echo $theirs)] ours: [$(echo $ours)]"
	fi
}
compare_one "RPATH inherited by a library's dependencies" "$t/bin/rpath"
compare_one "RUNPATH not inherited (libsbxb not found)" "$t/bin/runpath"
compare_one "\$ORIGIN and \$LIB in RUNPATH" "$t/bin/dollar-lib"
compare_one "LD_LIBRARY_PATH" "$t/bin/plain" "$t/llp"
compare_one "LD_LIBRARY_PATH after RPATH" "$t/bin/rpath" "$t/llp"
compare_one "LD_LIBRARY_PATH before RUNPATH" "$t/bin/runpath" "$t/llp"
