#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, filesystem: ways to write outside the granted tree, or
# into a tree granted read-only, through both front doors. The policy grants
# rw on W, r on R, nothing on O (escape_lib.sh).
set -u
. "$(dirname "$0")/escape_lib.sh"

reset_mnt() {
	esc_reset
	mkdir -p "$W/mnt"
}

for door in $ESC_DOORS; do
	attempt "'..' traversal out of the writable dir" $door blocked \
		"$ESC" write "$W/../outside/sentinel"
	attempt "symlink made in the writable dir, pointing at an outside file" $door blocked \
		"$ESC" symlink-write "$O/sentinel" "$W/link"
	attempt "dangling symlink in the writable dir, creating an outside file" $door blocked \
		"$ESC" symlink-write "$O/new" "$W/link"
	attempt "hardlink from the read-only dir into the writable one, then write" $door blocked \
		"$ESC" hardlink-write "$R/file" "$W/link"
	attempt "hardlink from outside into the writable dir, then write" $door blocked \
		"$ESC" hardlink-write "$O/sentinel" "$W/link"
	attempt "rename a file out of the sandbox" $door blocked \
		"$ESC" rename "$W/file" "$O/moved"
	attempt "rename an outside file into the sandbox" $door blocked \
		"$ESC" rename "$O/sentinel" "$W/stolen"
	attempt "write via /proc/self/root" $door blocked \
		"$ESC" write "/proc/self/root$O/sentinel"
	ESC_CWD=$O
	attempt "write via /proc/self/cwd (cwd outside the grant)" $door blocked \
		"$ESC" write /proc/self/cwd/sentinel
	ESC_CWD=$O
	attempt "write relative to a cwd outside the grant" $door blocked \
		"$ESC" write sentinel
	attempt "re-open a read-only fd for write via /proc/self/fd" $door blocked \
		"$ESC" reopen-write "$R/file"
	attempt "O_PATH fd of an outside file re-opened for write via /proc/self/fd" $door blocked \
		"$ESC" opath-reopen-write "$O/sentinel"
	ESC_NEEDS="file handles on this filesystem"
	attempt "open_by_handle_at of an outside file through a writable dir's mount" $door blocked \
		"$ESC" handle-write "$W" "$O/sentinel"
	# Under a policy that handles TCP the seccomp filter refuses
	# io_uring_setup itself; under --abi 3 (TCP not handled) the ring is
	# allowed, and Landlock's own check on IORING_OP_OPENAT must hold.
	# Below ABI 4 the first attempt has the ring allowed already.
	ESC_NEEDS="io_uring (kernel.io_uring_disabled=0)"
	attempt "io_uring IORING_OP_OPENAT for write outside" $door blocked \
		"$ESC" io-uring-write "$O/sentinel"
	if esc_need_abi 4 "TCP rules, for --abi 3 to allow the ring where the attempt above did not" \
		"io_uring IORING_OP_OPENAT for write outside, ring allowed (--abi 3) [$door]"; then
		POL_ABI=3
		ESC_NEEDS="io_uring (kernel.io_uring_disabled=0)"
		attempt "io_uring IORING_OP_OPENAT for write outside, ring allowed (--abi 3)" $door blocked \
			"$ESC" io-uring-write "$O/sentinel"
		POL_ABI=
	fi
	ESC_RESET=reset_mnt
	attempt "unshare(CLONE_NEWNS) + bind-mount the outside dir into the writable one" $door blocked \
		"$ESC" mount-bind "$O" "$W/mnt" sentinel
	attempt "chroot into the writable dir, climb out, write outside" $door blocked \
		"$ESC" chroot-write "$W" "$O/sentinel"

	# Known limit: Landlock does not cover metadata. Mode, owner (as root),
	# times and extended attributes of any file the process can name can
	# be changed, inside the grant or not.
	for op in chmod chown utime setxattr; do
		ESC_NEEDS="$op support on this filesystem"
		attempt "$op of an outside file" $door limit "$ESC" $op "$O/sentinel"
	done

	# Known limit: Landlock checks access when a file is opened; an fd the
	# parent opened before the policy keeps its rights.
	ESC_WRAP=(sh -c 'exec 3>>"$0" && exec "$@"' "$O/sentinel")
	attempt "write to an fd opened before the policy" $door limit \
		"$ESC" write-fd 3
done

# A rule path inside a tree the policy makes writable can be re-pointed by
# one run for the next: run 1 replaces the rule's directory with a symlink
# to the outside tree (rmdir and symlink under rw:$W are its rights), and
# every later run with the same policy opened the rule through the link,
# granting rw on the outside. Now a link below a writable tree is not
# followed: run 2 refuses to start, with one sandboxec: line.
for door in $ESC_DOORS; do
	name="a rule re-pointed by an earlier run at the outside tree [$door]"
	ESC_TRIED=$((ESC_TRIED + 1))
	esc_reset
	mkdir "$W/sub"
	esc_policy_default
	POL_FS+=("rw:$W/sub")
	sandbox_cmd "$door" "$ESC" repoint "$W/sub" "$O"
	got=$("${SB_CMD[@]}" 2>&1)
	if [ "$got" != escaped ] || [ ! -L "$W/sub" ]; then
		fail "$name" "run 1 could not re-point the rule ('$got')"
		continue
	fi
	sandbox_cmd "$door" "$ESC" write "$O/sentinel"
	before=$(guard_trees)
	run_capture "${SB_CMD[@]}"
	if [ "$(guard_trees)" != "$before" ] || [[ $OUT == escaped* ]]; then
		ESC_ESCAPED=$((ESC_ESCAPED + 1))
		fail "$name" "ESCAPED: run 2 wrote outside through the re-pointed rule"
	else
		expect_sbx_error "$name: run 2 refuses to start"
		expect_contains "$name: ... naming the link" "$ERR" "is reached through a symlink inside rw:$W"
	fi
done
esc_policy_default

# A rule that follows a variable (${VAR:-default}) is expanded with the
# environment of whoever applies the policy. A sandboxed command that sets
# the variable to the outside tree and loads the shim again gets, at most,
# one more layer: layers only narrow, so the first policy's rw:$W holds.
# Unsandboxed the same command does write outside (the shim applies
# rw:$O), which is what the baseline shows.
for door in $ESC_DOORS; do
	POL_FS=(rx:/usr "rx:$SBX_HELPERS" "rw:\${SBXT_TOOL:-$W}" "r:$R")
	attempt "a descendant re-expands a followed variable to the outside tree" $door blocked \
		env "SBXT_TOOL=$O" "LD_PRELOAD=$SBX_SHIM" \
		"SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS,rw:\${SBXT_TOOL:-$W},r:$R" \
		"$ESC" write "$O/sentinel"
done
esc_policy_default

# followed_home_attempt NAME SETUP HOME TOOL ESCAPED CHECK WANT: the
# variable a rule follows (SBXT_TOOL=TOOL) leads to the home directory or
# above it, with HOME as given after SETUP (a function) made the trees.
# Unsandboxed the write gets out; sandboxed the policy is refused with one
# line whose check CHECK wants WANT in it. (The env door expands when
# `--mode env` writes the settings, so that is where it is refused.)
followed_home_attempt() {
	local name=$1 setup=$2 home=$3 tool=$4 escaped=$5 check=$6 want=$7 door
	for door in $ESC_DOORS; do
		ESC_TRIED=$((ESC_TRIED + 1))
		esc_reset && $setup
		run_capture env HOME="$home" "$ESC" write "$O/sentinel"
		if [[ $OUT != escaped* ]]; then
			fail "$name [$door]" "baseline: unsandboxed the write gave '$OUT'"
			continue
		fi
		esc_reset && $setup
		POL_FS=(rx:/usr "rx:$SBX_HELPERS" "rw:\${SBXT_TOOL:-$W}" "r:$R")
		if [ "$door" = env ]; then
			SB_CMD=("$SBX" --mode env --fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "${POL_FS[2]}")
		else
			sandbox_cmd "$door" "$ESC" write "$O/sentinel"
		fi
		before=$(guard_trees)
		run_capture env HOME="$home" SBXT_TOOL="$tool" "${SB_CMD[@]}"
		if [ "$(guard_trees)" != "$before" ] || [[ $OUT == escaped* ]]; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "$name [$door]" "ESCAPED: $escaped"
		else
			expect_sbx_error "$name [$door]: refused"
			expect_contains "$name [$door]: ... $check" "$ERR" "$want"
		fi
	done
	esc_policy_default
}

# The variable names a link to the home directory: the rule would grant
# the whole home (here HOME is the outside tree). The target is checked
# with links followed.
link_to_home() { ln -s "$O" "$F/home-link"; }
followed_home_attempt "a followed variable names a link to the home directory" link_to_home \
	"$O" "$F/home-link" "the rule granted the home directory through the link" \
	"naming the link" "$F/home-link is your home directory"

# The home directory is itself reached through a link (HOME=$F/home-link,
# the real home $O/home), and the variable names the real home's parent,
# the outside tree. Walking up from HOME as written never meets $O: the
# check also walks up from where the link leads.
linked_home() { mkdir "$O/home" && ln -s "$O/home" "$F/home-link"; }
followed_home_attempt "a followed variable names the parent of a linked home directory" \
	linked_home "$F/home-link" "$O" "the rule granted the real home's parent" \
	"saying why" "your home directory or above it"
# The repository-root variables (SANDBOXEC_GIT_*, docs/design.md §2.1)
# are found by walking up from the working directory to the first .git,
# which the project controls. Each trap below, set up in a directory of
# the writable tree, would make them name the outside tree (HOME is the
# outside tree, so "home" is it too): unsandboxed the write gets through;
# sandboxed the policy is refused with one line, or (a dotfiles
# repository in $HOME) the rules fall back to their default and the write
# is blocked.
git_dir_at() { mkdir -p "$1/objects" && echo 'ref: refs/heads/main' >"$1/HEAD"; }
git_trap() {
	mkdir -p "$W/proj"
	case $1 in
	borrow) git_dir_at "$O/victim.git" && echo "gitdir: $O/victim.git" >"$W/proj/.git" ;;
	backlink)
		git_dir_at "$O/victim.git" && echo . >"$O/victim.git/commondir" &&
			echo "$O/other/.git" >"$O/victim.git/gitdir" &&
			echo "gitdir: $O/victim.git" >"$W/proj/.git"
		;;
	root) echo "gitdir: /" >"$W/proj/.git" ;;
	climb) echo "gitdir: ../../../../../../../../../../../../../../../.." >"$W/proj/.git" ;;
	home) git_dir_at "$O" && echo "gitdir: $O" >"$W/proj/.git" ;;
	link) git_dir_at "$O/victim.git" && ln -s "$O/victim.git" "$W/proj/.git" ;;
	gitdir) git_dir_at "$O/victim.git" ;;
	dotfiles) git_dir_at "$O/.git" && mkdir -p "$O/proj" ;;
	esac
}
# git_trap_attempt NAME TRAP CWD TARGET EXPECT [VAR=VALUE...] — EXPECT is
# "refused" (one sandboxec: line) or "blocked" (runs, the write fails).
git_trap_attempt() {
	local name=$1 trap=$2 cwd=$3 target=$4 expect=$5 door before
	shift 5
	for door in cli shim; do
		ESC_TRIED=$((ESC_TRIED + 1))
		esc_reset && git_trap "$trap"
		run_capture env HOME="$O" "$@" sh -c 'cd "$1" && shift && exec "$@"' sh "$cwd" \
			"$ESC" write "$target"
		if [[ $OUT != escaped* ]]; then
			fail "$name [$door]" "baseline: unsandboxed the write gave '$OUT'"
			continue
		fi
		esc_reset && git_trap "$trap"
		POL_FS=(rx:/usr "rx:$SBX_HELPERS" "rw:\${SANDBOXEC_GIT_ROOT:-$W}"
			"rw:\${SANDBOXEC_GIT_DIR:-$W}" "rw:\${SANDBOXEC_GIT_COMMON_DIR:-$W}" "r:$R")
		sandbox_cmd "$door" "$ESC" write "$target"
		before=$(guard_trees)
		run_capture env HOME="$O" "$@" sh -c 'cd "$1" && shift && exec "$@"' sh "$cwd" \
			"${SB_CMD[@]}"
		if [ "$(guard_trees)" != "$before" ] || [[ $OUT == escaped* ]]; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "$name [$door]" "ESCAPED: the repository-root rules granted the outside tree"
		elif [ "$expect" = refused ]; then
			expect_sbx_error "$name [$door]: refused"
		elif [[ $OUT != blocked* ]]; then
			fail "$name [$door]" "did not report (exit $STATUS): '$OUT'; stderr: ${ERR:0:300}"
		else
			pass "$name [$door]: $OUT"
		fi
	done
}
git_trap_attempt "a .git file borrows another repository's git directory" borrow "$W/proj" \
	"$O/victim.git/x" refused
git_trap_attempt "a .git file names a worktree directory that does not name it back" backlink \
	"$W/proj" "$O/victim.git/x" refused
git_trap_attempt "a .git file names /" root "$W/proj" "$O/sentinel" refused
git_trap_attempt "a .git file climbs to / with .." climb "$W/proj" "$O/sentinel" refused
git_trap_attempt "a .git file names the home directory" home "$W/proj" "$O/sentinel" refused
git_trap_attempt ".git is a link to another repository's git directory" link "$W/proj" \
	"$O/victim.git/x" refused
git_trap_attempt "GIT_DIR names another repository's git directory" gitdir "$W" \
	"$O/victim.git/x" refused "GIT_DIR=$O/victim.git"
git_trap_attempt "a dotfiles repository in the home directory is not followed" dotfiles \
	"$O/proj" "$O/sentinel" blocked
esc_policy_default
# Not a link: the same directory spelled with a trailing slash, below a
# writable tree of the policy, is still an ordinary rule.
esc_reset
expect_status "a rule below a writable tree, spelled with a trailing slash, applies" 0 \
	"$SBX" --fs rx:/usr --fs "rw:$W" --fs "r:$W/" --fs "r:$F/" -- true
esc_summary
