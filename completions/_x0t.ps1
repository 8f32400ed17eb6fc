
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'x0t' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'x0t'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'x0t' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a manifest: syntax, unknown fields, names, addresses, durations, references')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `apply` would create, update, replace or delete, with a reason for each')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Check that every applied file is still on disk, unchanged, with its mode')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Run a mesh node in the foreground')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Read and write the replicated key-value store (linearizable)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable')
            [CompletionResult]::new('mesh', 'mesh', [CompletionResultType]::ParameterValue, 'Inspect the mesh data plane: links, routes, ping')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a message over the mesh data plane to a node or to a workload on a node')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Read messages from a node''s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)')
            [CompletionResult]::new('chaos', 'chaos', [CompletionResultType]::ParameterValue, 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Take, save, list, inspect and verify Raft snapshots')
            [CompletionResult]::new('rag', 'rag', [CompletionResultType]::ParameterValue, 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Inspect and rotate ML-KEM and ML-DSA keys and nodes'' JWT-SVID signing keys')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Write a node''s bundle (or, with --operator, an operator''s) into a directory to copy to another host')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way')
            [CompletionResult]::new('spire', 'spire', [CompletionResultType]::ParameterValue, 'Configure SPIRE to issue SVIDs that chain to the mesh CA')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the mesh manifest (for editor validation and completion)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;validate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;plan' {
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Plan to replace this resource even if it is not due (e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 2 when there are changes (0 when none, 1 on error)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;apply' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another apply holding the state lock')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace this resource even if it is not due (an SVID, workload CA or PQC key, e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Apply without asking')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete the files of nodes and operators no longer in the manifest')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a CA that this state directory did not create')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;drift' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;up' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete the files of nodes and operators no longer in the manifest')
            [CompletionResult]::new('--no-run', '--no-run', [CompletionResultType]::ParameterName, 'Only apply; do not run the nodes')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;node' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;node;run' {
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Run from a bundle directory written by `x0t bundle` (no manifest or state needed)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;node;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;node;help;run' {
            break
        }
        'x0t;node;help;help' {
            break
        }
        'x0t;status' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;kv' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('del', 'del', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys with their revisions, optionally under PREFIX')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;kv;put' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;kv;get' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;kv;del' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;kv;list' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;kv;help' {
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('del', 'del', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys with their revisions, optionally under PREFIX')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;kv;help;put' {
            break
        }
        'x0t;kv;help;get' {
            break
        }
        'x0t;kv;help;del' {
            break
        }
        'x0t;kv;help;list' {
            break
        }
        'x0t;kv;help;help' {
            break
        }
        'x0t;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records at this revision (log index) or later')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many, the newest ones (0: every record kept)')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;mesh' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)')
            [CompletionResult]::new('ping', 'ping', [CompletionResultType]::ParameterValue, 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;mesh;links' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only this node (default: every node, relays included)')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;mesh;routes' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only this node (default: every node, relays included)')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;mesh;ping' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Ping from this node [default: the first other node of the mesh]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'How many pings, one after another')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many pings, one after another')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;mesh;help' {
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)')
            [CompletionResult]::new('ping', 'ping', [CompletionResultType]::ParameterValue, 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;mesh;help;links' {
            break
        }
        'x0t;mesh;help;routes' {
            break
        }
        'x0t;mesh;help;ping' {
            break
        }
        'x0t;mesh;help;help' {
            break
        }
        'x0t;send' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Send through this node [default: the first node that answers]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the message may take to arrive before the destination refuses it')
            [CompletionResult]::new('--as-workload', '--as-workload', [CompletionResultType]::ParameterName, 'Send as the workload the Workload API at this socket identifies (its X509-SVID), through the node that hosts it, instead of as an operator')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;recv' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node whose inbox to read')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Messages for this workload (its SPIFFE ID) instead of the node''s own')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'At most this many messages')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait this long for a first message when the inbox is empty')
            [CompletionResult]::new('--as-workload', '--as-workload', [CompletionResultType]::ParameterName, 'Read as the workload the Workload API at this socket identifies (its X509-SVID): its own inbox, on the node that hosts it')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--peek', '--peek', [CompletionResultType]::ParameterName, 'Leave the messages in the inbox')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;chaos' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;chaos;link' {
            [CompletionResult]::new('--loss', '--loss', [CompletionResultType]::ParameterName, 'Fail this percentage of requests')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Hold each request this long before sending it')
            [CompletionResult]::new('--jitter', '--jitter', [CompletionResultType]::ParameterName, 'Vary the delay by up to this much either way')
            [CompletionResult]::new('--corrupt', '--corrupt', [CompletionResultType]::ParameterName, 'Alter this percentage of the data-plane frames FROM relays to TO for other nodes, as a hostile relay would (the destination refuses them; senders route around FROM)')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--cut', '--cut', [CompletionResultType]::ParameterName, 'Fail every request, as if the link were unplugged')
            [CompletionResult]::new('--blackhole', '--blackhole', [CompletionResultType]::ParameterName, 'Swallow the data-plane frames FROM relays to TO, answering nothing (probes still pass, so only senders notice)')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Pass each data-plane frame FROM relays to TO on twice (the destination stores it once and counts the duplicate)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove the fault')
            [CompletionResult]::new('--both', '--both', [CompletionResultType]::ParameterName, 'Also set it on TO''s requests to FROM')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;chaos;help' {
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;chaos;help;link' {
            break
        }
        'x0t;chaos;help;help' {
            break
        }
        'x0t;snapshot' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Take a snapshot on a live node now; prints its index, term and size')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the snapshots a live node keeps on disk (the newest is what laggards receive)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;snapshot;create' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node to ask [default: the leader]')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;save' {
            [CompletionResult]::new('--encrypt-to', '--encrypt-to', [CompletionResultType]::ParameterName, 'Seal the file to this operator''s (or node''s) ML-KEM key: only its secret key opens it')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node to ask [default: the leader]')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;list' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node to ask [default: the leader]')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;inspect' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;verify' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Also ask the live mesh for its deny list, and refuse a file signed by a node revoked since the snapshot was taken')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;restore' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The node whose data to restore [default with --bundle: the bundle''s node]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Restore into the node bundle directory DIR (its `raft/`), checking the snapshot against the bundle''s roster and asking the mesh with the node''s own identity; no state directory needed')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change against the data there; write nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing data (it is moved aside, not deleted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;snapshot;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Take a snapshot on a live node now; prints its index, term and size')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the snapshots a live node keeps on disk (the newest is what laggards receive)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;snapshot;help;create' {
            break
        }
        'x0t;snapshot;help;save' {
            break
        }
        'x0t;snapshot;help;list' {
            break
        }
        'x0t;snapshot;help;inspect' {
            break
        }
        'x0t;snapshot;help;verify' {
            break
        }
        'x0t;snapshot;help;restore' {
            break
        }
        'x0t;snapshot;help;help' {
            break
        }
        'x0t;rag' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;rag;index' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--rebuild', '--rebuild', [CompletionResultType]::ParameterName, 'Throw the existing index away and embed everything again')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;rag;query' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'How many hits to return')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Which retrievers answer')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Ask this live node instead of the local index')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;rag;help' {
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;rag;help;index' {
            break
        }
        'x0t;rag;help;query' {
            break
        }
        'x0t;rag;help;help' {
            break
        }
        'x0t;identity' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid')
            [CompletionResult]::new('verify-jwt', 'verify-jwt', [CompletionResultType]::ParameterValue, 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;identity;show' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'NAME is an operator')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;identity;verify' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'NAME is an operator')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;identity;fetch' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The Workload API endpoint: a socket path or `unix:///path`')
            [CompletionResult]::new('--jwt', '--jwt', [CompletionResultType]::ParameterName, 'Fetch a JWT-SVID for AUDIENCE (repeat for a token with several audiences)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write svid.N.crt (chain), svid.N.key (0600) and bundle.crt into DIR; with --jwt, write the token to this file (0600) instead of stdout')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;identity;verify-jwt' {
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'The audience the token must name')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not ask the live mesh for its deny list: check against the state directory''s roster only (revocations are then not checked)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;identity;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid')
            [CompletionResult]::new('verify-jwt', 'verify-jwt', [CompletionResultType]::ParameterValue, 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;identity;help;show' {
            break
        }
        'x0t;identity;help;verify' {
            break
        }
        'x0t;identity;help;fetch' {
            break
        }
        'x0t;identity;help;verify-jwt' {
            break
        }
        'x0t;identity;help;help' {
            break
        }
        'x0t;keys' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;keys;show' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'NAME is an operator')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;keys;rotate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'NAME is an operator')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Rotate the keys of every node and operator')
            [CompletionResult]::new('--auto-approve', '--auto-approve', [CompletionResultType]::ParameterName, 'Apply without asking')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;keys;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;keys;help;show' {
            break
        }
        'x0t;keys;help;rotate' {
            break
        }
        'x0t;keys;help;help' {
            break
        }
        'x0t;bundle' {
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Bundle this operator instead of a node')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to create (must not exist or be empty)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a non-empty --out directory (a node''s raft/ and rag/ data in it are kept)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;revoke' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (recorded with the entry)')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Lift the revocation instead')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Show the deny list')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;spire' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;spire;bootstrap' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write a copy into DIR instead of <state-dir>/spire')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;spire;sync' {
            [CompletionResult]::new('--server-bin', '--server-bin', [CompletionResultType]::ParameterName, 'The spire-server binary (a path, or a name on PATH)')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The SPIRE server''s API socket, if not SPIRE''s default')
            [CompletionResult]::new('--join-token', '--join-token', [CompletionResultType]::ParameterName, 'Also mint a join token for this node''s agent')
            [CompletionResult]::new('--token-ttl', '--token-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the join token')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, change nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;spire;help' {
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;spire;help;bootstrap' {
            break
        }
        'x0t;spire;help;sync' {
            break
        }
        'x0t;spire;help;help' {
            break
        }
        'x0t;bench' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('raft', 'raft', [CompletionResultType]::ParameterValue, 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip')
            [CompletionResult]::new('mesh', 'mesh', [CompletionResultType]::ParameterValue, 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox')
            [CompletionResult]::new('fill', 'fill', [CompletionResultType]::ParameterValue, 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)')
            [CompletionResult]::new('rag', 'rag', [CompletionResultType]::ParameterValue, 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors')
            [CompletionResult]::new('workload', 'workload', [CompletionResultType]::ParameterValue, 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)')
            [CompletionResult]::new('tcp', 'tcp', [CompletionResultType]::ParameterValue, 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;bench;raft' {
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'Concurrent writers per level')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long each level runs')
            [CompletionResult]::new('--value-size', '--value-size', [CompletionResultType]::ParameterName, 'Size of each written value in bytes')
            [CompletionResult]::new('--failover-rounds', '--failover-rounds', [CompletionResultType]::ParameterName, 'Leader kills to time (0 skips the failover measurement)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;mesh' {
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Offered rates, messages per second')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long each rate runs')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message size in bytes')
            [CompletionResult]::new('--warmup', '--warmup', [CompletionResultType]::ParameterName, 'Offer each rate this long first, uncounted (sessions, connections and buffers warm up; a stall of the first messages would otherwise decide the tail)')
            [CompletionResult]::new('--kills', '--kills', [CompletionResultType]::ParameterName, 'Kill the relay -9 this many times under load (restarting it in between)')
            [CompletionResult]::new('--kill-rate', '--kill-rate', [CompletionResultType]::ParameterName, 'The offered rate while the relay is killed, messages per second')
            [CompletionResult]::new('--kill-every', '--kill-every', [CompletionResultType]::ParameterName, 'Time between kills')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;fill' {
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'How many keys to write')
            [CompletionResult]::new('--value-size', '--value-size', [CompletionResultType]::ParameterName, 'Size of each value in bytes')
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'Concurrent writers')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix; keys are PREFIX000000, PREFIX000001, …')
            [CompletionResult]::new('--operator', '--operator', [CompletionResultType]::ParameterName, 'Act as this operator [default: the first admin operator of the manifest]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;rag' {
            [CompletionResult]::new('--chunks', '--chunks', [CompletionResultType]::ParameterName, 'Corpus size in chunks')
            [CompletionResult]::new('--queries', '--queries', [CompletionResultType]::ParameterName, 'Queries to time')
            [CompletionResult]::new('--m', '--m', [CompletionResultType]::ParameterName, 'HNSW links per node')
            [CompletionResult]::new('--ef-construction', '--ef-construction', [CompletionResultType]::ParameterName, 'HNSW construction breadth (the manifest''s default)')
            [CompletionResult]::new('--ef', '--ef', [CompletionResultType]::ParameterName, 'HNSW search breadths to sweep')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Working directory (vector cache, tantivy index, exported vectors)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Corpus generator seed')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;workload' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The Workload API endpoint: a socket path or `unix:///path`')
            [CompletionResult]::new('--connects', '--connects', [CompletionResultType]::ParameterName, 'Fresh connections timed to their first SVID')
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'Concurrent clients for the throughput phase')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long the throughput phase runs')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;tcp' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Answer messages on this address until stopped')
            [CompletionResult]::new('--connect', '--connect', [CompletionResultType]::ParameterName, 'Offer messages to the sink at this address')
            [CompletionResult]::new('--rates', '--rates', [CompletionResultType]::ParameterName, 'Offered rates, messages per second')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long each rate runs')
            [CompletionResult]::new('--warmup', '--warmup', [CompletionResultType]::ParameterName, 'Offer each rate this long first, uncounted')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message size in bytes')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;bench;help' {
            [CompletionResult]::new('raft', 'raft', [CompletionResultType]::ParameterValue, 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip')
            [CompletionResult]::new('mesh', 'mesh', [CompletionResultType]::ParameterValue, 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox')
            [CompletionResult]::new('fill', 'fill', [CompletionResultType]::ParameterValue, 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)')
            [CompletionResult]::new('rag', 'rag', [CompletionResultType]::ParameterValue, 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors')
            [CompletionResult]::new('workload', 'workload', [CompletionResultType]::ParameterValue, 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)')
            [CompletionResult]::new('tcp', 'tcp', [CompletionResultType]::ParameterValue, 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;bench;help;raft' {
            break
        }
        'x0t;bench;help;mesh' {
            break
        }
        'x0t;bench;help;fill' {
            break
        }
        'x0t;bench;help;rag' {
            break
        }
        'x0t;bench;help;workload' {
            break
        }
        'x0t;bench;help;tcp' {
            break
        }
        'x0t;bench;help;help' {
            break
        }
        'x0t;schema' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;doctor' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;version' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;completions' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;man' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory for the pages (created if missing)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The mesh manifest [default: x0t.yaml in the current directory]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The state directory [default: .x0t/ beside the manifest]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a node to answer')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'x0t;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a manifest: syntax, unknown fields, names, addresses, durations, references')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `apply` would create, update, replace or delete, with a reason for each')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Check that every applied file is still on disk, unchanged, with its mode')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Run a mesh node in the foreground')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks')
            [CompletionResult]::new('kv', 'kv', [CompletionResultType]::ParameterValue, 'Read and write the replicated key-value store (linearizable)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable')
            [CompletionResult]::new('mesh', 'mesh', [CompletionResultType]::ParameterValue, 'Inspect the mesh data plane: links, routes, ping')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a message over the mesh data plane to a node or to a workload on a node')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Read messages from a node''s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)')
            [CompletionResult]::new('chaos', 'chaos', [CompletionResultType]::ParameterValue, 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Take, save, list, inspect and verify Raft snapshots')
            [CompletionResult]::new('rag', 'rag', [CompletionResultType]::ParameterValue, 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Inspect and rotate ML-KEM and ML-DSA keys and nodes'' JWT-SVID signing keys')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Write a node''s bundle (or, with --operator, an operator''s) into a directory to copy to another host')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way')
            [CompletionResult]::new('spire', 'spire', [CompletionResultType]::ParameterValue, 'Configure SPIRE to issue SVIDs that chain to the mesh CA')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the mesh manifest (for editor validation and completion)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'x0t;help;validate' {
            break
        }
        'x0t;help;plan' {
            break
        }
        'x0t;help;apply' {
            break
        }
        'x0t;help;drift' {
            break
        }
        'x0t;help;up' {
            break
        }
        'x0t;help;node' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully')
            break
        }
        'x0t;help;node;run' {
            break
        }
        'x0t;help;status' {
            break
        }
        'x0t;help;kv' {
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('del', 'del', [CompletionResultType]::ParameterValue, '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys with their revisions, optionally under PREFIX')
            break
        }
        'x0t;help;kv;put' {
            break
        }
        'x0t;help;kv;get' {
            break
        }
        'x0t;help;kv;del' {
            break
        }
        'x0t;help;kv;list' {
            break
        }
        'x0t;help;audit' {
            break
        }
        'x0t;help;mesh' {
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated')
            [CompletionResult]::new('routes', 'routes', [CompletionResultType]::ParameterValue, 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)')
            [CompletionResult]::new('ping', 'ping', [CompletionResultType]::ParameterValue, 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop')
            break
        }
        'x0t;help;mesh;links' {
            break
        }
        'x0t;help;mesh;routes' {
            break
        }
        'x0t;help;mesh;ping' {
            break
        }
        'x0t;help;send' {
            break
        }
        'x0t;help;recv' {
            break
        }
        'x0t;help;chaos' {
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true')
            break
        }
        'x0t;help;chaos;link' {
            break
        }
        'x0t;help;snapshot' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Take a snapshot on a live node now; prints its index, term and size')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the snapshots a live node keeps on disk (the newest is what laggards receive)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data')
            break
        }
        'x0t;help;snapshot;create' {
            break
        }
        'x0t;help;snapshot;save' {
            break
        }
        'x0t;help;snapshot;list' {
            break
        }
        'x0t;help;snapshot;inspect' {
            break
        }
        'x0t;help;snapshot;verify' {
            break
        }
        'x0t;help;snapshot;restore' {
            break
        }
        'x0t;help;rag' {
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API')
            break
        }
        'x0t;help;rag;index' {
            break
        }
        'x0t;help;rag;query' {
            break
        }
        'x0t;help;identity' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid')
            [CompletionResult]::new('verify-jwt', 'verify-jwt', [CompletionResultType]::ParameterValue, 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not')
            break
        }
        'x0t;help;identity;show' {
            break
        }
        'x0t;help;identity;verify' {
            break
        }
        'x0t;help;identity;fetch' {
            break
        }
        'x0t;help;identity;verify-jwt' {
            break
        }
        'x0t;help;keys' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened')
            break
        }
        'x0t;help;keys;show' {
            break
        }
        'x0t;help;keys;rotate' {
            break
        }
        'x0t;help;bundle' {
            break
        }
        'x0t;help;revoke' {
            break
        }
        'x0t;help;spire' {
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent')
            break
        }
        'x0t;help;spire;bootstrap' {
            break
        }
        'x0t;help;spire;sync' {
            break
        }
        'x0t;help;bench' {
            [CompletionResult]::new('raft', 'raft', [CompletionResultType]::ParameterValue, 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip')
            [CompletionResult]::new('mesh', 'mesh', [CompletionResultType]::ParameterValue, 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox')
            [CompletionResult]::new('fill', 'fill', [CompletionResultType]::ParameterValue, 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)')
            [CompletionResult]::new('rag', 'rag', [CompletionResultType]::ParameterValue, 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors')
            [CompletionResult]::new('workload', 'workload', [CompletionResultType]::ParameterValue, 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)')
            [CompletionResult]::new('tcp', 'tcp', [CompletionResultType]::ParameterValue, 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing')
            break
        }
        'x0t;help;bench;raft' {
            break
        }
        'x0t;help;bench;mesh' {
            break
        }
        'x0t;help;bench;fill' {
            break
        }
        'x0t;help;bench;rag' {
            break
        }
        'x0t;help;bench;workload' {
            break
        }
        'x0t;help;bench;tcp' {
            break
        }
        'x0t;help;schema' {
            break
        }
        'x0t;help;doctor' {
            break
        }
        'x0t;help;version' {
            break
        }
        'x0t;help;completions' {
            break
        }
        'x0t;help;man' {
            break
        }
        'x0t;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
