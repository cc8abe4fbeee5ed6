# SPDX-License-Identifier: Apache-2.0
# fish completion for sandboxec: options, modes, env formats, profile names,
# the rights prefix of --fs/--net rules and the path after it, then the
# COMMAND and its own completion. Installed in
# share/fish/vendor_completions.d; tests/integration/t_completion.sh checks
# it against `sandboxec --help`.

# True while the options are still being read: no COMMAND word yet.
function __sandboxec_in_options
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --
                return 1
            case -c --config -C --named-config -f --fs -n --net --add-fs --add-net --abi -m --mode --format -o --output --max-output --max-timeout-ms
                set skip 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# The profile names -C accepts: `sandboxec --list-profiles` where the
# binary has it (it asks the same search -C uses), else the directories
# that search reads, in its order.
function __sandboxec_profiles
    set -l cmd (commandline -opc)[1]
    set -l out ($cmd --list-profiles 2>/dev/null)
    if test $status -eq 0
        string match -r -g '^  (\S+)' -- $out
        return
    end
    set -l dirs
    if set -q SANDBOXEC_PROFILE_PATH
        set dirs (string split : -- $SANDBOXEC_PROFILE_PATH)
    end
    string match -q '/*' -- "$XDG_CONFIG_HOME"; and set -a dirs $XDG_CONFIG_HOME/sandboxec/profiles
    string match -q '/*' -- "$HOME"; and set -a dirs $HOME/.config/sandboxec/profiles
    set -a dirs /etc/sandboxec/profiles
    set -l bin (command -s -- $cmd)
    if test -n "$bin"
        set -l here (path dirname (path resolve $bin) 2>/dev/null; or dirname (realpath $bin))
        set -a dirs $here/../share/sandboxec/profiles $here/../profiles
    end
    set -a dirs /usr/share/sandboxec/profiles /usr/local/share/sandboxec/profiles
    for dir in $dirs
        string match -q '/*' -- $dir; and test -d $dir; or continue
        pushd $dir
        find . \( -name '*.yaml' -o -name '*.yml' \) \( -type f -o -type l \) |
            string replace -r '^\./' '' | string replace -r '\.ya?ml$' ''
        popd
    end | sort -u
end

# RIGHTS:PATH (kind fs) or RIGHTS:PORT (kind net).
function __sandboxec_rule -a kind
    set -l token (commandline -ct)
    set -l value (string replace -r '^--[a-z-]+=' '' -- $token)
    set -l opt (string replace -r -- '=.*' '=' $token)
    test "$opt" = "$token"; and set opt ''
    if string match -q '*:*' -- $value
        test $kind = net; and return
        set -l prefix (string split -m1 : -- $value)[1]
        set -l path (string split -m1 : -- $value)[2]
        for f in (__fish_complete_path $path)
            printf '%s%s:%s\n' $opt $prefix $f
        end
        return
    end
    if test $kind = fs
        printf '%s\t%s\n' r: 'read files, list directories' rx: 'r, and execute files' \
            w: 'write, create, remove, rename, link' rw: 'r and w' rwx: 'r, w and execute' \
            read: r read_exec: rx write: w read_write: rw read_write_exec: rwx |
            string replace -r '^' "$opt"
    else
        printf '%s\t%s\n' b: 'bind the TCP port' c: 'connect to the TCP port' \
            bc: 'bind and connect' bind: b connect: c bind_connect: bc \
            ub: 'bind the UDP port' uc: 'send to the UDP port' ubc: 'ub and uc' \
            udp_bind: ub udp_connect: uc udp_bind_connect: ubc none 'no network at all' |
            string replace -r '^' "$opt"
    end
end

complete -c sandboxec -n __sandboxec_in_options -s c -l config -r -F -d 'YAML config file'
complete -c sandboxec -n __sandboxec_in_options -s C -l named-config -x -a '(__sandboxec_profiles)' -d 'named profile'
complete -c sandboxec -n __sandboxec_in_options -s f -l fs -x -a '(__sandboxec_rule fs)' -d 'filesystem rule'
complete -c sandboxec -n __sandboxec_in_options -s n -l net -x -a '(__sandboxec_rule net)' -d 'TCP rule'
complete -c sandboxec -n __sandboxec_in_options -l add-fs -x -a '(__sandboxec_rule fs)' -d 'filesystem rule added to the list'
complete -c sandboxec -n __sandboxec_in_options -l add-net -x -a '(__sandboxec_rule net)' -d 'TCP rule added to the list'
complete -c sandboxec -n __sandboxec_in_options -l abi -x -a '0 1 2 3 4 5 6 7' -d 'Landlock ABI'
complete -c sandboxec -n __sandboxec_in_options -l best-effort -d 'degrade on older kernels'
complete -c sandboxec -n __sandboxec_in_options -l ignore-if-missing -d 'skip missing rule paths'
complete -c sandboxec -n __sandboxec_in_options -l restrict-scoped -d 'scope abstract sockets and signals'
complete -c sandboxec -n __sandboxec_in_options -l allow-udp -d 'with no --net rule, allow UDP'
complete -c sandboxec -n __sandboxec_in_options -l restrict-unix -d 'no unix sockets by path'
complete -c sandboxec -n __sandboxec_in_options -l unsafe-host-runtime -d 'add the host runtime'
complete -c sandboxec -n __sandboxec_in_options -l log-denials -d 'audit log records denials'
complete -c sandboxec -n __sandboxec_in_options -s m -l mode -x -d mode -a '
    run\t"run COMMAND under the policy"
    mcp\t"serve MCP on stdio"
    env\t"print settings for the shim"
    explain\t"print the effective policy"
    trust\t"trust a project .sandboxec.yaml"
    learn\t"write the profile COMMAND needs"'
complete -c sandboxec -n __sandboxec_in_options -l report -d 'print what the sandbox denied'
complete -c sandboxec -n __sandboxec_in_options -l hints -d 'on a failure, suggest --report'
complete -c sandboxec -n __sandboxec_in_options -l format -x -a 'sh make fish json dotenv' -d 'format of env'
complete -c sandboxec -n __sandboxec_in_options -s o -l output -r -F -d 'learn: write the profile here'
complete -c sandboxec -n __sandboxec_in_options -l max-output -x -d 'mcp: bytes kept per stream'
complete -c sandboxec -n __sandboxec_in_options -l max-timeout-ms -x -d 'mcp: bound on timeout_ms'
complete -c sandboxec -n __sandboxec_in_options -l list-profiles -d 'list the profiles -C finds'
complete -c sandboxec -n __sandboxec_in_options -s V -l version -d 'version and Landlock ABI'
complete -c sandboxec -n __sandboxec_in_options -s h -l help -d 'this help'
# --mode trust takes a FILE; any other mode a COMMAND, then whatever
# completes its own arguments (the options listed take the next word).
function __sandboxec_trusting
    set -l tokens (commandline -opc)
    contains -- trust $tokens; and begin
        contains -- --mode $tokens; or contains -- -m $tokens
    end; or contains -- --mode=trust $tokens
end
complete -c sandboxec -n __sandboxec_trusting -F
complete -c sandboxec -n 'not __sandboxec_trusting' -x -a '(__fish_complete_subcommand -c --config -C --named-config -f --fs -n --net --add-fs --add-net --abi -m --mode --format -o --output --max-output --max-timeout-ms)'
