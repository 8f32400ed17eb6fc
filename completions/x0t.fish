# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_x0t_global_optspecs
    string join \n f/file= state-dir= o/output= timeout= q/quiet v/verbose h/help V/version
end

function __fish_x0t_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_x0t_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_x0t_using_subcommand
    set -l cmd (__fish_x0t_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c x0t -n "__fish_x0t_needs_command" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_needs_command" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_needs_command" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_needs_command" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_needs_command" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_needs_command" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "validate" -d 'Check a manifest: syntax, unknown fields, names, addresses, durations, references'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "plan" -d 'Show what `apply` would create, update, replace or delete, with a reason for each'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "apply" -d 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "drift" -d 'Check that every applied file is still on disk, unchanged, with its mode'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "up" -d 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "node" -d 'Run a mesh node in the foreground'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "status" -d 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "kv" -d 'Read and write the replicated key-value store (linearizable)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "audit" -d 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "mesh" -d 'Inspect the mesh data plane: links, routes, ping'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "send" -d 'Send a message over the mesh data plane to a node or to a workload on a node'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "recv" -d 'Read messages from a node\'s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "chaos" -d 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "snapshot" -d 'Take, save, list, inspect and verify Raft snapshots'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "rag" -d 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "identity" -d 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "keys" -d 'Inspect and rotate ML-KEM and ML-DSA keys and nodes\' JWT-SVID signing keys'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "bundle" -d 'Write a node\'s bundle (or, with --operator, an operator\'s) into a directory to copy to another host'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "revoke" -d 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "spire" -d 'Configure SPIRE to issue SVIDs that chain to the mesh CA'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "bench" -d 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "schema" -d 'Print the JSON Schema of the mesh manifest (for editor validation and completion)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "doctor" -d 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "version" -d 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "completions" -d 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "man" -d 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR'
complete -c x0t -n "__fish_x0t_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand validate" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand validate" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand validate" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand plan" -l replace -d 'Plan to replace this resource even if it is not due (e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable' -r
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand plan" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand plan" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand plan" -l detailed-exitcode -d 'Exit 2 when there are changes (0 when none, 1 on error)'
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand plan" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l lock-timeout -d 'How long to wait for another apply holding the state lock' -r
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l replace -d 'Replace this resource even if it is not due (an SVID, workload CA or PQC key, e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable' -r
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l auto-approve -d 'Apply without asking'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l prune -d 'Also delete the files of nodes and operators no longer in the manifest'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -l force -d 'Replace a CA that this state directory did not create'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand apply" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand drift" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand drift" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand drift" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand up" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand up" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand up" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand up" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand up" -l prune -d 'Also delete the files of nodes and operators no longer in the manifest'
complete -c x0t -n "__fish_x0t_using_subcommand up" -l no-run -d 'Only apply; do not run the nodes'
complete -c x0t -n "__fish_x0t_using_subcommand up" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand up" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand up" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -f -a "run" -d 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node\'s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
complete -c x0t -n "__fish_x0t_using_subcommand node; and not __fish_seen_subcommand_from run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -l bundle -d 'Run from a bundle directory written by `x0t bundle` (no manifest or state needed)' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node\'s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
complete -c x0t -n "__fish_x0t_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand status" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand status" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand status" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand status" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand status" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand status" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand status" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand status" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -f -a "put" -d 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -f -a "get" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -f -a "del" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -f -a "list" -d 'List keys with their revisions, optionally under PREFIX'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and not __fish_seen_subcommand_from put get del list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from put" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from del" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "put" -d 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "get" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "del" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "list" -d 'List keys with their revisions, optionally under PREFIX'
complete -c x0t -n "__fish_x0t_using_subcommand kv; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l since -d 'Only records at this revision (log index) or later' -r
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l limit -d 'Show at most this many, the newest ones (0: every record kept)' -r
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand audit" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand audit" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -f -a "links" -d 'Show each node\'s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -f -a "routes" -d 'Show each node\'s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -f -a "ping" -d 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and not __fish_seen_subcommand_from links routes ping help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -l node -d 'Only this node (default: every node, relays included)' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from links" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -l node -d 'Only this node (default: every node, relays included)' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from routes" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -l from -d 'Ping from this node [default: the first other node of the mesh]' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s c -l count -d 'How many pings, one after another' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from ping" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from help" -f -a "links" -d 'Show each node\'s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from help" -f -a "routes" -d 'Show each node\'s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from help" -f -a "ping" -d 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
complete -c x0t -n "__fish_x0t_using_subcommand mesh; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand send" -l via -d 'Send through this node [default: the first node that answers]' -r
complete -c x0t -n "__fish_x0t_using_subcommand send" -l ttl -d 'How long the message may take to arrive before the destination refuses it' -r
complete -c x0t -n "__fish_x0t_using_subcommand send" -l as-workload -d 'Send as the workload the Workload API at this socket identifies (its X509-SVID), through the node that hosts it, instead of as an operator' -r
complete -c x0t -n "__fish_x0t_using_subcommand send" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand send" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand send" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand send" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand send" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand send" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand send" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand send" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand send" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l node -d 'The node whose inbox to read' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l for -d 'Messages for this workload (its SPIFFE ID) instead of the node\'s own' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l max -d 'At most this many messages' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l wait -d 'Wait this long for a first message when the inbox is empty' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l as-workload -d 'Read as the workload the Workload API at this socket identifies (its X509-SVID): its own inbox, on the node that hosts it' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand recv" -l peek -d 'Leave the messages in the inbox'
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand recv" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -f -a "link" -d 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and not __fish_seen_subcommand_from link help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l loss -d 'Fail this percentage of requests' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l delay -d 'Hold each request this long before sending it' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l jitter -d 'Vary the delay by up to this much either way' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l corrupt -d 'Alter this percentage of the data-plane frames FROM relays to TO for other nodes, as a hostile relay would (the destination refuses them; senders route around FROM)' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l cut -d 'Fail every request, as if the link were unplugged'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l blackhole -d 'Swallow the data-plane frames FROM relays to TO, answering nothing (probes still pass, so only senders notice)'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l replay -d 'Pass each data-plane frame FROM relays to TO on twice (the destination stores it once and counts the duplicate)'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l clear -d 'Remove the fault'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -l both -d 'Also set it on TO\'s requests to FROM'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from link" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from help" -f -a "link" -d 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
complete -c x0t -n "__fish_x0t_using_subcommand chaos; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "create" -d 'Take a snapshot on a live node now; prints its index, term and size'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "save" -d 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "list" -d 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "inspect" -d 'Show a snapshot file\'s header, key count and size by key prefix (no manifest needed)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "verify" -d 'Check a snapshot file\'s hash and signature against the roster\'s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh\'s deny list does not either. Exit 1 with the reason if it does not verify'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "restore" -d 'Restore a stopped node\'s raft data from a snapshot file (verified first). The node starts with the roster\'s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle\'s data'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and not __fish_seen_subcommand_from create save list inspect verify restore help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -l node -d 'The node to ask [default: the leader]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l encrypt-to -d 'Seal the file to this operator\'s (or node\'s) ML-KEM key: only its secret key opens it' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l node -d 'The node to ask [default: the leader]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -l node -d 'The node to ask [default: the leader]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -l key -d 'The recipient\'s ML-KEM secret key file, for a sealed snapshot [default: the recipient\'s key in the state directory or --context bundle]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l key -d 'The recipient\'s ML-KEM secret key file, for a sealed snapshot [default: the recipient\'s key in the state directory or --context bundle]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -l live -d 'Also ask the live mesh for its deny list, and refuse a file signed by a node revoked since the snapshot was taken'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l key -d 'The recipient\'s ML-KEM secret key file, for a sealed snapshot [default: the recipient\'s key in the state directory or --context bundle]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l node -d 'The node whose data to restore [default with --bundle: the bundle\'s node]' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l bundle -d 'Restore into the node bundle directory DIR (its `raft/`), checking the snapshot against the bundle\'s roster and asking the mesh with the node\'s own identity; no state directory needed' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l dry-run -d 'Show what would change against the data there; write nothing'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -l force -d 'Replace existing data (it is moved aside, not deleted)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from restore" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "create" -d 'Take a snapshot on a live node now; prints its index, term and size'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "save" -d 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show a snapshot file\'s header, key count and size by key prefix (no manifest needed)'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a snapshot file\'s hash and signature against the roster\'s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh\'s deny list does not either. Exit 1 with the reason if it does not verify'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a stopped node\'s raft data from a snapshot file (verified first). The node starts with the roster\'s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle\'s data'
complete -c x0t -n "__fish_x0t_using_subcommand snapshot; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -f -a "index" -d 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -f -a "query" -d 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node\'s own index through the admin API'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and not __fish_seen_subcommand_from index query help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -l rebuild -d 'Throw the existing index away and embed everything again'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from index" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s k -d 'How many hits to return' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l mode -d 'Which retrievers answer' -r -f -a "hybrid\t'BM25 and vector search fused by reciprocal rank'
bm25\t'Keyword search only (tantivy BM25)'
vector\t'Semantic search only (MiniLM embeddings in an HNSW graph)'"
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l node -d 'Ask this live node instead of the local index' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from query" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from help" -f -a "index" -d 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from help" -f -a "query" -d 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node\'s own index through the admin API'
complete -c x0t -n "__fish_x0t_using_subcommand rag; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -f -a "verify" -d 'Verify a node\'s (or operator\'s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -f -a "fetch" -d 'Fetch this process\'s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node\'s workload socket, or SPIRE\'s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -f -a "verify-jwt" -d 'Verify a JWT-SVID against the mesh\'s JWT bundle: signature by a node\'s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and not __fish_seen_subcommand_from show verify fetch verify-jwt help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -l operator -d 'NAME is an operator'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -l operator -d 'NAME is an operator'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -l socket -d 'The Workload API endpoint: a socket path or `unix:///path`' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -l jwt -d 'Fetch a JWT-SVID for AUDIENCE (repeat for a token with several audiences)' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -l out -d 'Write svid.N.crt (chain), svid.N.key (0600) and bundle.crt into DIR; with --jwt, write the token to this file (0600) instead of stdout' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from fetch" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l audience -d 'The audience the token must name' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -l offline -d 'Do not ask the live mesh for its deny list: check against the state directory\'s roster only (revocations are then not checked)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from verify-jwt" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify a node\'s (or operator\'s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Fetch this process\'s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node\'s workload socket, or SPIRE\'s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "verify-jwt" -d 'Verify a JWT-SVID against the mesh\'s JWT bundle: signature by a node\'s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
complete -c x0t -n "__fish_x0t_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) ML-KEM and ML-DSA keys, and a node\'s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "rotate" -d 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node\'s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -l operator -d 'NAME is an operator'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l operator -d 'NAME is an operator'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l all -d 'Rotate the keys of every node and operator'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l auto-approve -d 'Apply without asking'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) ML-KEM and ML-DSA keys, and a node\'s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node\'s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
complete -c x0t -n "__fish_x0t_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -l operator -d 'Bundle this operator instead of a node' -r
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -l out -d 'Directory to create (must not exist or be empty)' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -l force -d 'Replace a non-empty --out directory (a node\'s raft/ and rag/ data in it are kept)'
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bundle" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l reason -d 'Why (recorded with the entry)' -r
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l undo -d 'Lift the revocation instead'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -l list -d 'Show the deny list'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -f -a "bootstrap" -d 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node\'s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -f -a "sync" -d 'Upsert the manifest\'s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t\'s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node\'s SPIRE agent'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and not __fish_seen_subcommand_from bootstrap sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -l out -d 'Write a copy into DIR instead of <state-dir>/spire' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from bootstrap" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l server-bin -d 'The spire-server binary (a path, or a name on PATH)' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l socket -d 'The SPIRE server\'s API socket, if not SPIRE\'s default' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l join-token -d 'Also mint a join token for this node\'s agent' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l token-ttl -d 'Lifetime of the join token' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -l dry-run -d 'Show what would change, change nothing'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from help" -f -a "bootstrap" -d 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node\'s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Upsert the manifest\'s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t\'s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node\'s SPIRE agent'
complete -c x0t -n "__fish_x0t_using_subcommand spire; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "raft" -d 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk\'s fdatasync latency and a loopback mTLS round trip'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "mesh" -d 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination\'s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3\'s inbox'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "fill" -d 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "rag" -d 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "workload" -d 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node\'s workload socket (the calling process must be a workload of that node)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "tcp" -d 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and not __fish_seen_subcommand_from raft mesh fill rag workload tcp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l clients -d 'Concurrent writers per level' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l duration -d 'How long each level runs' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l value-size -d 'Size of each written value in bytes' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l failover-rounds -d 'Leader kills to time (0 skips the failover measurement)' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from raft" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l rates -d 'Offered rates, messages per second' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l duration -d 'How long each rate runs' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l size -d 'Message size in bytes' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l warmup -d 'Offer each rate this long first, uncounted (sessions, connections and buffers warm up; a stall of the first messages would otherwise decide the tail)' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l kills -d 'Kill the relay -9 this many times under load (restarting it in between)' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l kill-rate -d 'The offered rate while the relay is killed, messages per second' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l kill-every -d 'Time between kills' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from mesh" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l keys -d 'How many keys to write' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l value-size -d 'Size of each value in bytes' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l clients -d 'Concurrent writers' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l prefix -d 'Key prefix; keys are PREFIX000000, PREFIX000001, …' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l operator -d 'Act as this operator [default: the first admin operator of the manifest]' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l context -d 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from fill" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l chunks -d 'Corpus size in chunks' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l queries -d 'Queries to time' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l m -d 'HNSW links per node' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l ef-construction -d 'HNSW construction breadth (the manifest\'s default)' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l ef -d 'HNSW search breadths to sweep' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l dir -d 'Working directory (vector cache, tantivy index, exported vectors)' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l seed -d 'Corpus generator seed' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from rag" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l socket -d 'The Workload API endpoint: a socket path or `unix:///path`' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l connects -d 'Fresh connections timed to their first SVID' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l clients -d 'Concurrent clients for the throughput phase' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l duration -d 'How long the throughput phase runs' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from workload" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l listen -d 'Answer messages on this address until stopped' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l connect -d 'Offer messages to the sink at this address' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l rates -d 'Offered rates, messages per second' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l duration -d 'How long each rate runs' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l warmup -d 'Offer each rate this long first, uncounted' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l size -d 'Message size in bytes' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from tcp" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "raft" -d 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk\'s fdatasync latency and a loopback mTLS round trip'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "mesh" -d 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination\'s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3\'s inbox'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "fill" -d 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "rag" -d 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "workload" -d 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node\'s workload socket (the calling process must be a workload of that node)'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "tcp" -d 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
complete -c x0t -n "__fish_x0t_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand schema" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand schema" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand schema" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand version" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand version" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand version" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand version" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand version" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand version" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand version" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand completions" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand completions" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand completions" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand man" -l out -d 'Directory for the pages (created if missing)' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand man" -s f -l file -d 'The mesh manifest [default: x0t.yaml in the current directory]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand man" -l state-dir -d 'The state directory [default: .x0t/ beside the manifest]' -r -F
complete -c x0t -n "__fish_x0t_using_subcommand man" -s o -l output -d 'Output format' -r -f -a "text\t'Human-readable text'
json\t'JSON with a top-level "schemaVersion": 1'"
complete -c x0t -n "__fish_x0t_using_subcommand man" -l timeout -d 'How long to wait for a node to answer' -r
complete -c x0t -n "__fish_x0t_using_subcommand man" -s q -l quiet -d 'Print only data and errors'
complete -c x0t -n "__fish_x0t_using_subcommand man" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c x0t -n "__fish_x0t_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c x0t -n "__fish_x0t_using_subcommand man" -s V -l version -d 'Print version'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "validate" -d 'Check a manifest: syntax, unknown fields, names, addresses, durations, references'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "plan" -d 'Show what `apply` would create, update, replace or delete, with a reason for each'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "apply" -d 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "drift" -d 'Check that every applied file is still on disk, unchanged, with its mode'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "up" -d 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "node" -d 'Run a mesh node in the foreground'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "status" -d 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "kv" -d 'Read and write the replicated key-value store (linearizable)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "audit" -d 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "mesh" -d 'Inspect the mesh data plane: links, routes, ping'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "send" -d 'Send a message over the mesh data plane to a node or to a workload on a node'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "recv" -d 'Read messages from a node\'s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "chaos" -d 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "snapshot" -d 'Take, save, list, inspect and verify Raft snapshots'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "rag" -d 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "identity" -d 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "keys" -d 'Inspect and rotate ML-KEM and ML-DSA keys and nodes\' JWT-SVID signing keys'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "bundle" -d 'Write a node\'s bundle (or, with --operator, an operator\'s) into a directory to copy to another host'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "revoke" -d 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "spire" -d 'Configure SPIRE to issue SVIDs that chain to the mesh CA'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "bench" -d 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "schema" -d 'Print the JSON Schema of the mesh manifest (for editor validation and completion)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "doctor" -d 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "version" -d 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "completions" -d 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "man" -d 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR'
complete -c x0t -n "__fish_x0t_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply drift up node status kv audit mesh send recv chaos snapshot rag identity keys bundle revoke spire bench schema doctor version completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "run" -d 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node\'s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "put" -d 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "get" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "del" -d '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from kv" -f -a "list" -d 'List keys with their revisions, optionally under PREFIX'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from mesh" -f -a "links" -d 'Show each node\'s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from mesh" -f -a "routes" -d 'Show each node\'s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from mesh" -f -a "ping" -d 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from chaos" -f -a "link" -d 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "create" -d 'Take a snapshot on a live node now; prints its index, term and size'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "save" -d 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "list" -d 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "inspect" -d 'Show a snapshot file\'s header, key count and size by key prefix (no manifest needed)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "verify" -d 'Check a snapshot file\'s hash and signature against the roster\'s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh\'s deny list does not either. Exit 1 with the reason if it does not verify'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from snapshot" -f -a "restore" -d 'Restore a stopped node\'s raft data from a snapshot file (verified first). The node starts with the roster\'s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle\'s data'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from rag" -f -a "index" -d 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from rag" -f -a "query" -d 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node\'s own index through the admin API'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from identity" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from identity" -f -a "verify" -d 'Verify a node\'s (or operator\'s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from identity" -f -a "fetch" -d 'Fetch this process\'s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node\'s workload socket, or SPIRE\'s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from identity" -f -a "verify-jwt" -d 'Verify a JWT-SVID against the mesh\'s JWT bundle: signature by a node\'s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "show" -d 'Show a node\'s (or, with --operator, an operator\'s) ML-KEM and ML-DSA keys, and a node\'s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node\'s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from spire" -f -a "bootstrap" -d 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node\'s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from spire" -f -a "sync" -d 'Upsert the manifest\'s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t\'s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node\'s SPIRE agent'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "raft" -d 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk\'s fdatasync latency and a loopback mTLS round trip'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "mesh" -d 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination\'s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3\'s inbox'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "fill" -d 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "rag" -d 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "workload" -d 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node\'s workload socket (the calling process must be a workload of that node)'
complete -c x0t -n "__fish_x0t_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "tcp" -d 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
