
use builtin;
use str;

set edit:completion:arg-completer[x0t] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'x0t'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'x0t'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check a manifest: syntax, unknown fields, names, addresses, durations, references'
            cand plan 'Show what `apply` would create, update, replace or delete, with a reason for each'
            cand apply 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster'
            cand drift 'Check that every applied file is still on disk, unchanged, with its mode'
            cand up 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all'
            cand node 'Run a mesh node in the foreground'
            cand status 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks'
            cand kv 'Read and write the replicated key-value store (linearizable)'
            cand audit 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable'
            cand mesh 'Inspect the mesh data plane: links, routes, ping'
            cand send 'Send a message over the mesh data plane to a node or to a workload on a node'
            cand recv 'Read messages from a node''s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)'
            cand chaos 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)'
            cand snapshot 'Take, save, list, inspect and verify Raft snapshots'
            cand rag 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)'
            cand identity 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID'
            cand keys 'Inspect and rotate ML-KEM and ML-DSA keys and nodes'' JWT-SVID signing keys'
            cand bundle 'Write a node''s bundle (or, with --operator, an operator''s) into a directory to copy to another host'
            cand revoke 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way'
            cand spire 'Configure SPIRE to issue SVIDs that chain to the mesh CA'
            cand bench 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay'
            cand schema 'Print the JSON Schema of the mesh manifest (for editor validation and completion)'
            cand doctor 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails'
            cand version 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms'
            cand completions 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)'
            cand man 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;validate'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;plan'= {
            cand --replace 'Plan to replace this resource even if it is not due (e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --detailed-exitcode 'Exit 2 when there are changes (0 when none, 1 on error)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;apply'= {
            cand --lock-timeout 'How long to wait for another apply holding the state lock'
            cand --replace 'Replace this resource even if it is not due (an SVID, workload CA or PQC key, e.g. node.n1.svid; `ca` starts a staged CA rollover); repeatable'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --auto-approve 'Apply without asking'
            cand --prune 'Also delete the files of nodes and operators no longer in the manifest'
            cand --force 'Replace a CA that this state directory did not create'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;drift'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;up'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --prune 'Also delete the files of nodes and operators no longer in the manifest'
            cand --no-run 'Only apply; do not run the nodes'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;node'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;node;run'= {
            cand --bundle 'Run from a bundle directory written by `x0t bundle` (no manifest or state needed)'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;node;help'= {
            cand run 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;node;help;run'= {
        }
        &'x0t;node;help;help'= {
        }
        &'x0t;status'= {
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;kv'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand put 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
            cand get '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand del '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand list 'List keys with their revisions, optionally under PREFIX'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;kv;put'= {
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;kv;get'= {
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;kv;del'= {
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;kv;list'= {
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;kv;help'= {
            cand put 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
            cand get '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand del '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand list 'List keys with their revisions, optionally under PREFIX'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;kv;help;put'= {
        }
        &'x0t;kv;help;get'= {
        }
        &'x0t;kv;help;del'= {
        }
        &'x0t;kv;help;list'= {
        }
        &'x0t;kv;help;help'= {
        }
        &'x0t;audit'= {
            cand --since 'Only records at this revision (log index) or later'
            cand --limit 'Show at most this many, the newest ones (0: every record kept)'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;mesh'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand links 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
            cand routes 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
            cand ping 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;mesh;links'= {
            cand --node 'Only this node (default: every node, relays included)'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;mesh;routes'= {
            cand --node 'Only this node (default: every node, relays included)'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;mesh;ping'= {
            cand --from 'Ping from this node [default: the first other node of the mesh]'
            cand -c 'How many pings, one after another'
            cand --count 'How many pings, one after another'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;mesh;help'= {
            cand links 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
            cand routes 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
            cand ping 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;mesh;help;links'= {
        }
        &'x0t;mesh;help;routes'= {
        }
        &'x0t;mesh;help;ping'= {
        }
        &'x0t;mesh;help;help'= {
        }
        &'x0t;send'= {
            cand --via 'Send through this node [default: the first node that answers]'
            cand --ttl 'How long the message may take to arrive before the destination refuses it'
            cand --as-workload 'Send as the workload the Workload API at this socket identifies (its X509-SVID), through the node that hosts it, instead of as an operator'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;recv'= {
            cand --node 'The node whose inbox to read'
            cand --for 'Messages for this workload (its SPIFFE ID) instead of the node''s own'
            cand --max 'At most this many messages'
            cand --wait 'Wait this long for a first message when the inbox is empty'
            cand --as-workload 'Read as the workload the Workload API at this socket identifies (its X509-SVID): its own inbox, on the node that hosts it'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --peek 'Leave the messages in the inbox'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;chaos'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand link 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;chaos;link'= {
            cand --loss 'Fail this percentage of requests'
            cand --delay 'Hold each request this long before sending it'
            cand --jitter 'Vary the delay by up to this much either way'
            cand --corrupt 'Alter this percentage of the data-plane frames FROM relays to TO for other nodes, as a hostile relay would (the destination refuses them; senders route around FROM)'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --cut 'Fail every request, as if the link were unplugged'
            cand --blackhole 'Swallow the data-plane frames FROM relays to TO, answering nothing (probes still pass, so only senders notice)'
            cand --replay 'Pass each data-plane frame FROM relays to TO on twice (the destination stores it once and counts the duplicate)'
            cand --clear 'Remove the fault'
            cand --both 'Also set it on TO''s requests to FROM'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;chaos;help'= {
            cand link 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;chaos;help;link'= {
        }
        &'x0t;chaos;help;help'= {
        }
        &'x0t;snapshot'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Take a snapshot on a live node now; prints its index, term and size'
            cand save 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
            cand list 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
            cand inspect 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)'
            cand verify 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify'
            cand restore 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;snapshot;create'= {
            cand --node 'The node to ask [default: the leader]'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;save'= {
            cand --encrypt-to 'Seal the file to this operator''s (or node''s) ML-KEM key: only its secret key opens it'
            cand --node 'The node to ask [default: the leader]'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;list'= {
            cand --node 'The node to ask [default: the leader]'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;inspect'= {
            cand --key 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;verify'= {
            cand --key 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --live 'Also ask the live mesh for its deny list, and refuse a file signed by a node revoked since the snapshot was taken'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;restore'= {
            cand --key 'The recipient''s ML-KEM secret key file, for a sealed snapshot [default: the recipient''s key in the state directory or --context bundle]'
            cand --node 'The node whose data to restore [default with --bundle: the bundle''s node]'
            cand --bundle 'Restore into the node bundle directory DIR (its `raft/`), checking the snapshot against the bundle''s roster and asking the mesh with the node''s own identity; no state directory needed'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --dry-run 'Show what would change against the data there; write nothing'
            cand --force 'Replace existing data (it is moved aside, not deleted)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;snapshot;help'= {
            cand create 'Take a snapshot on a live node now; prints its index, term and size'
            cand save 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
            cand list 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
            cand inspect 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)'
            cand verify 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify'
            cand restore 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;snapshot;help;create'= {
        }
        &'x0t;snapshot;help;save'= {
        }
        &'x0t;snapshot;help;list'= {
        }
        &'x0t;snapshot;help;inspect'= {
        }
        &'x0t;snapshot;help;verify'= {
        }
        &'x0t;snapshot;help;restore'= {
        }
        &'x0t;snapshot;help;help'= {
        }
        &'x0t;rag'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand index 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
            cand query 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;rag;index'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --rebuild 'Throw the existing index away and embed everything again'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;rag;query'= {
            cand -k 'How many hits to return'
            cand --mode 'Which retrievers answer'
            cand --node 'Ask this live node instead of the local index'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;rag;help'= {
            cand index 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
            cand query 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;rag;help;index'= {
        }
        &'x0t;rag;help;query'= {
        }
        &'x0t;rag;help;help'= {
        }
        &'x0t;identity'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
            cand verify 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
            cand fetch 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
            cand verify-jwt 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;identity;show'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --operator 'NAME is an operator'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;identity;verify'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --operator 'NAME is an operator'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;identity;fetch'= {
            cand --socket 'The Workload API endpoint: a socket path or `unix:///path`'
            cand --jwt 'Fetch a JWT-SVID for AUDIENCE (repeat for a token with several audiences)'
            cand --out 'Write svid.N.crt (chain), svid.N.key (0600) and bundle.crt into DIR; with --jwt, write the token to this file (0600) instead of stdout'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;identity;verify-jwt'= {
            cand --audience 'The audience the token must name'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --offline 'Do not ask the live mesh for its deny list: check against the state directory''s roster only (revocations are then not checked)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;identity;help'= {
            cand show 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
            cand verify 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
            cand fetch 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
            cand verify-jwt 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;identity;help;show'= {
        }
        &'x0t;identity;help;verify'= {
        }
        &'x0t;identity;help;fetch'= {
        }
        &'x0t;identity;help;verify-jwt'= {
        }
        &'x0t;identity;help;help'= {
        }
        &'x0t;keys'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
            cand rotate 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;keys;show'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --operator 'NAME is an operator'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;keys;rotate'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --operator 'NAME is an operator'
            cand --all 'Rotate the keys of every node and operator'
            cand --auto-approve 'Apply without asking'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;keys;help'= {
            cand show 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
            cand rotate 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;keys;help;show'= {
        }
        &'x0t;keys;help;rotate'= {
        }
        &'x0t;keys;help;help'= {
        }
        &'x0t;bundle'= {
            cand --operator 'Bundle this operator instead of a node'
            cand --out 'Directory to create (must not exist or be empty)'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --force 'Replace a non-empty --out directory (a node''s raft/ and rag/ data in it are kept)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;revoke'= {
            cand --reason 'Why (recorded with the entry)'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --undo 'Lift the revocation instead'
            cand --list 'Show the deny list'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;spire'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand bootstrap 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
            cand sync 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;spire;bootstrap'= {
            cand --out 'Write a copy into DIR instead of <state-dir>/spire'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;spire;sync'= {
            cand --server-bin 'The spire-server binary (a path, or a name on PATH)'
            cand --socket 'The SPIRE server''s API socket, if not SPIRE''s default'
            cand --join-token 'Also mint a join token for this node''s agent'
            cand --token-ttl 'Lifetime of the join token'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand --dry-run 'Show what would change, change nothing'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;spire;help'= {
            cand bootstrap 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
            cand sync 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;spire;help;bootstrap'= {
        }
        &'x0t;spire;help;sync'= {
        }
        &'x0t;spire;help;help'= {
        }
        &'x0t;bench'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand raft 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip'
            cand mesh 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox'
            cand fill 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
            cand rag 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
            cand workload 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)'
            cand tcp 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;bench;raft'= {
            cand --clients 'Concurrent writers per level'
            cand --duration 'How long each level runs'
            cand --value-size 'Size of each written value in bytes'
            cand --failover-rounds 'Leader kills to time (0 skips the failover measurement)'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;mesh'= {
            cand --rates 'Offered rates, messages per second'
            cand --duration 'How long each rate runs'
            cand --size 'Message size in bytes'
            cand --warmup 'Offer each rate this long first, uncounted (sessions, connections and buffers warm up; a stall of the first messages would otherwise decide the tail)'
            cand --kills 'Kill the relay -9 this many times under load (restarting it in between)'
            cand --kill-rate 'The offered rate while the relay is killed, messages per second'
            cand --kill-every 'Time between kills'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;fill'= {
            cand --keys 'How many keys to write'
            cand --value-size 'Size of each value in bytes'
            cand --clients 'Concurrent writers'
            cand --prefix 'Key prefix; keys are PREFIX000000, PREFIX000001, …'
            cand --operator 'Act as this operator [default: the first admin operator of the manifest]'
            cand --context 'Use an operator bundle directory (from `x0t bundle --operator`) instead of the manifest and state directory'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;rag'= {
            cand --chunks 'Corpus size in chunks'
            cand --queries 'Queries to time'
            cand --m 'HNSW links per node'
            cand --ef-construction 'HNSW construction breadth (the manifest''s default)'
            cand --ef 'HNSW search breadths to sweep'
            cand --dir 'Working directory (vector cache, tantivy index, exported vectors)'
            cand --seed 'Corpus generator seed'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;workload'= {
            cand --socket 'The Workload API endpoint: a socket path or `unix:///path`'
            cand --connects 'Fresh connections timed to their first SVID'
            cand --clients 'Concurrent clients for the throughput phase'
            cand --duration 'How long the throughput phase runs'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;tcp'= {
            cand --listen 'Answer messages on this address until stopped'
            cand --connect 'Offer messages to the sink at this address'
            cand --rates 'Offered rates, messages per second'
            cand --duration 'How long each rate runs'
            cand --warmup 'Offer each rate this long first, uncounted'
            cand --size 'Message size in bytes'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;bench;help'= {
            cand raft 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip'
            cand mesh 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox'
            cand fill 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
            cand rag 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
            cand workload 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)'
            cand tcp 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;bench;help;raft'= {
        }
        &'x0t;bench;help;mesh'= {
        }
        &'x0t;bench;help;fill'= {
        }
        &'x0t;bench;help;rag'= {
        }
        &'x0t;bench;help;workload'= {
        }
        &'x0t;bench;help;tcp'= {
        }
        &'x0t;bench;help;help'= {
        }
        &'x0t;schema'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;doctor'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;version'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;completions'= {
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;man'= {
            cand --out 'Directory for the pages (created if missing)'
            cand -f 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --file 'The mesh manifest [default: x0t.yaml in the current directory]'
            cand --state-dir 'The state directory [default: .x0t/ beside the manifest]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'How long to wait for a node to answer'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'x0t;help'= {
            cand validate 'Check a manifest: syntax, unknown fields, names, addresses, durations, references'
            cand plan 'Show what `apply` would create, update, replace or delete, with a reason for each'
            cand apply 'Create, renew and rotate what the plan lists: CA, SVIDs, PQC keys, node configs, roster'
            cand drift 'Check that every applied file is still on disk, unchanged, with its mode'
            cand up 'Bring up a local mesh: apply without asking, then run every node whose address is on this host under one supervisor, with a live status, until Ctrl-C stops them all'
            cand node 'Run a mesh node in the foreground'
            cand status 'Show every node, relays included: SPIFFE ID, role, Raft state, term, log and applied index, lag, data-plane links up and routes known, leader, negotiated key exchange, SVID expiry, x0t version and protocols spoken, reachability; and the protocol the mesh speaks'
            cand kv 'Read and write the replicated key-value store (linearizable)'
            cand audit 'Show the audit trail: every key written or deleted and every raft member added, moved or removed through the admin API, with the operator who did it and when, oldest first. Every node keeps the same records, the newest 100,000 to 125,000; the read is linearizable'
            cand mesh 'Inspect the mesh data plane: links, routes, ping'
            cand send 'Send a message over the mesh data plane to a node or to a workload on a node'
            cand recv 'Read messages from a node''s inbox, oldest first, and remove them once read (admin operators; a workload reads its own with --as-workload)'
            cand chaos 'Inject faults into a running mesh (only where the manifest sets spec.chaos.enabled)'
            cand snapshot 'Take, save, list, inspect and verify Raft snapshots'
            cand rag 'Search runbooks and incident knowledge (BM25 + HNSW, fused by reciprocal rank)'
            cand identity 'Inspect and verify node and operator X509-SVIDs; fetch workload SVIDs (X.509 or JWT); verify a JWT-SVID'
            cand keys 'Inspect and rotate ML-KEM and ML-DSA keys and nodes'' JWT-SVID signing keys'
            cand bundle 'Write a node''s bundle (or, with --operator, an operator''s) into a directory to copy to another host'
            cand revoke 'Revoke a node (NAME) or an operator (operator/NAME): every node refuses it from the moment the deny-list entry is applied and closes its open connections, before its SVID expires. `--undo` lifts it; `--list` shows the deny list. Removing a node from the manifest and applying revokes it the same way'
            cand spire 'Configure SPIRE to issue SVIDs that chain to the mesh CA'
            cand bench 'Measure the mesh: Raft write throughput, latency and failover; data-plane messages; load data for snapshot measurements; retrieval speed and recall; the Workload API; the same message load over plain TCP, for comparing another overlay'
            cand schema 'Print the JSON Schema of the mesh manifest (for editor validation and completion)'
            cand doctor 'Check this host: liboqs self-test, manifest, state directory writable, private key permissions, clock. Exits 1 if a check fails'
            cand version 'Print the x0t version; with --verbose (the global flag) also liboqs and its enabled algorithms'
            cand completions 'Print the completion script for a shell (bash, zsh, fish, elvish, powershell)'
            cand man 'Write man pages, one per command and subcommand (x0t.1, x0t-plan.1, ...), into DIR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'x0t;help;validate'= {
        }
        &'x0t;help;plan'= {
        }
        &'x0t;help;apply'= {
        }
        &'x0t;help;drift'= {
        }
        &'x0t;help;up'= {
        }
        &'x0t;help;node'= {
            cand run 'Run node NAME in the foreground: Raft over post-quantum mutual TLS, the admin API, the metrics port, and the SPIFFE Workload API on the node''s workload socket (its `SPIFFE_ENDPOINT_SOCKET=` line follows the readiness line). Human logs go to stderr (the readiness line starts with `ready `); stdout carries only OpenTelemetry output. SIGINT/SIGTERM stop it gracefully'
        }
        &'x0t;help;node;run'= {
        }
        &'x0t;help;status'= {
        }
        &'x0t;help;kv'= {
            cand put 'Store VALUE under KEY (VALUE `-` reads stdin); prints the new revision'
            cand get '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand del '`get`: print the raw value of KEY (exit 1 if missing). `del`: delete KEY'
            cand list 'List keys with their revisions, optionally under PREFIX'
        }
        &'x0t;help;kv;put'= {
        }
        &'x0t;help;kv;get'= {
        }
        &'x0t;help;kv;del'= {
        }
        &'x0t;help;kv;list'= {
        }
        &'x0t;help;audit'= {
        }
        &'x0t;help;mesh'= {
            cand links 'Show each node''s data-plane links: peer, state (up, degraded, down), smoothed round trip, jitter, loss, cost and the key exchange the link negotiated'
            cand routes 'Show each node''s routes: destination, next hop, the whole path and its metric (the sum over its links of cost x smoothed round trip in ms x loss penalty)'
            cand ping 'Ping NODE over the mesh data plane from another node, following the routes hop by hop: prints the path each ping took and the round trip of every hop'
        }
        &'x0t;help;mesh;links'= {
        }
        &'x0t;help;mesh;routes'= {
        }
        &'x0t;help;mesh;ping'= {
        }
        &'x0t;help;send'= {
        }
        &'x0t;help;recv'= {
        }
        &'x0t;help;chaos'= {
            cand link 'Set a fault on what FROM sends to TO, on the data plane and Raft alike: a cut link, a share of requests lost, a delay with jitter; or make FROM a hostile relay of the frames it passes on to TO (altered, dropped, replayed). Without a fault flag (or with --clear) the link is healed. Refused unless the manifest sets spec.chaos.enabled: true'
        }
        &'x0t;help;chaos;link'= {
        }
        &'x0t;help;snapshot'= {
            cand create 'Take a snapshot on a live node now; prints its index, term and size'
            cand save 'Take a fresh snapshot on a live node and save it, signed by that node, to FILE (written to a temporary file beside it, synced, then renamed over FILE)'
            cand list 'List the snapshots a live node keeps on disk (the newest is what laggards receive)'
            cand inspect 'Show a snapshot file''s header, key count and size by key prefix (no manifest needed)'
            cand verify 'Check a snapshot file''s hash and signature against the roster''s node keys (retired keys included), and that its own deny list does not revoke its signer; with --live, that the mesh''s deny list does not either. Exit 1 with the reason if it does not verify'
            cand restore 'Restore a stopped node''s raft data from a snapshot file (verified first). The node starts with the roster''s membership, an empty log behind the snapshot and a reset vote. Refused while the node runs, over existing data without --force, and while the rest of the mesh has a leader: that would roll the node back and lose acknowledged writes. To rebuild a whole lost mesh, restore every node from the same file, then start them. On a host with only a node bundle (from `x0t bundle`), --bundle restores into that bundle''s data'
        }
        &'x0t;help;snapshot;create'= {
        }
        &'x0t;help;snapshot;save'= {
        }
        &'x0t;help;snapshot;list'= {
        }
        &'x0t;help;snapshot;inspect'= {
        }
        &'x0t;help;snapshot;verify'= {
        }
        &'x0t;help;snapshot;restore'= {
        }
        &'x0t;help;rag'= {
            cand index 'Index the built-in runbooks, `rag.sources` and PATHS (markdown and text; directories are walked). Files whose content is unchanged keep their embeddings; binary, non-UTF-8 and oversized files are skipped with a warning'
            cand query 'Find the chunks that answer TEXT. Hybrid fuses the BM25 and vector rankings by reciprocal rank (k = 60); each hit shows its source lines and both scores. Builds the index first when there is none. With --node, the query runs on that live node''s own index through the admin API'
        }
        &'x0t;help;rag;index'= {
        }
        &'x0t;help;rag;query'= {
        }
        &'x0t;help;identity'= {
            cand show 'Show a node''s (or, with --operator, an operator''s) X509-SVID: SPIFFE ID, issuer, validity, key and fingerprints'
            cand verify 'Verify a node''s (or operator''s) SVID: chain to the mesh CA, SPIFFE ID, validity window, key pair and X509-SVID conformance. Exits 1 if any check fails'
            cand fetch 'Fetch this process''s X509-SVIDs and trust bundles from a SPIFFE Workload API (a node''s workload socket, or SPIRE''s agent), the way a workload would; with --jwt, a JWT-SVID for that audience instead, printed alone on stdout for scripts. Exits 1 when no identity is issued to the calling uid/gid'
            cand verify-jwt 'Verify a JWT-SVID against the mesh''s JWT bundle: signature by a node''s current or recently retired key, expiry, audience, trust domain, that the signing node hosts the subject, and the live deny list (revoked nodes and workloads). Exits 0 if valid, 1 with the reason if not'
        }
        &'x0t;help;identity;show'= {
        }
        &'x0t;help;identity;verify'= {
        }
        &'x0t;help;identity;fetch'= {
        }
        &'x0t;help;identity;verify-jwt'= {
        }
        &'x0t;help;keys'= {
            cand show 'Show a node''s (or, with --operator, an operator''s) ML-KEM and ML-DSA keys, and a node''s JWT-SVID signing key with the retired ones that still verify: algorithm, public-key fingerprint, created, rotate-after'
            cand rotate 'Rotate the ML-KEM-768 and ML-DSA-65 keys (and a node''s JWT-SVID signing key) of node NAME (or operator NAME with --operator, or everyone with --all) now, as an apply that replaces them. Tokens signed with a replaced JWT key still verify until they expire. On a live mesh the new public keys reach every node through the replicated roster and each node switches to its new key without a restart; retired public keys stay in the roster so older snapshots and audit records still verify, and retired ML-KEM secret keys are kept so backups sealed to them can still be opened'
        }
        &'x0t;help;keys;show'= {
        }
        &'x0t;help;keys;rotate'= {
        }
        &'x0t;help;bundle'= {
        }
        &'x0t;help;revoke'= {
        }
        &'x0t;help;spire'= {
            cand bootstrap 'Write what SPIRE needs to issue SVIDs that chain to the mesh CA: server.conf (UpstreamAuthority "disk" on the mesh CA, sqlite datastore, disk key manager, x509pop node attestation trusting the mesh CA), agent-NODE.conf per node (x509pop with the node''s x0t SVID), entries.json for `spire-server entry create -data`, and the trust bundle as bundle.pem and bundle.spiffe.json. Without --out the files are the ones `apply` manages in <state-dir>/spire, so `plan` shows later edits'
            cand sync 'Upsert the manifest''s registration entries (a node alias per node, one entry per workload) into a running SPIRE server through `spire-server`: reads `entry show`, then creates, updates and deletes entries in x0t''s namespaces (`/node/`, `/workload/`); other entries are left alone. Node aliases change before the workloads under them, so no workload entry is left without its node. Each command gets --timeout and is tried up to 3 times while the server cannot be reached or does not answer. An entry the server refuses is named and the sync exits 1; the rest stay applied, and the next sync changes only what still differs. With --join-token NODE it also mints a join token for that node''s SPIRE agent'
        }
        &'x0t;help;spire;bootstrap'= {
        }
        &'x0t;help;spire;sync'= {
        }
        &'x0t;help;bench'= {
            cand raft 'Start a throwaway 3-node mesh on 127.0.0.1, drive it with concurrent writers, then kill its leader repeatedly to time failover. Prints writes/s and p50/p99/p99.9/max latency per level, and the floor measured beside them: the state disk''s fdatasync latency and a loopback mTLS round trip'
            cand mesh 'Start a throwaway mesh on 127.0.0.1 (n1, n2, n3 and a relay r1; links n1-n2, n1-r1, r1-n3, and n2-n3 at cost 5 as the way around the relay), then offer messages from n1 at fixed rates, open loop: to n3 through the relay, and to n2 over a direct link. Each message is acknowledged once stored in the destination''s durable inbox; latency runs from its scheduled send time. With --kills, the relay is then killed -9 that many times under load and each stall is measured, and every acknowledged message is looked for in n3''s inbox'
            cand fill 'Write KEYS keys of VALUE_SIZE bytes into a running mesh from concurrent writers (each write acknowledged, so the mesh holds them all when this returns)'
            cand rag 'Generate CHUNKS operator-style chunks, embed them (chunk vectors are composed from MiniLM sentence vectors, cached in DIR; a sample is embedded whole to measure the embedder and the composition), build the BM25 and HNSW indexes, and time QUERIES queries one at a time: query embedding, BM25, vector, hybrid and end to end, plus HNSW recall@10 against exact search for each --ef. Writes base.f32, queries.f32 and truth.u32 to DIR so another library can be measured on the same vectors'
            cand workload 'Time from connect to first X509-SVID over fresh connections, then SVIDs served per second to concurrent clients, against a running node''s workload socket (the calling process must be a workload of that node)'
            cand tcp 'Offer 1 KiB messages over one TCP connection at fixed rates, open loop, timing each from its scheduled send time to its answer (as `bench mesh` does), to a sink started with --listen. Used to drive another overlay, such as a Nebula relay hop, with the same load; the sink answers each message once read and stores nothing'
        }
        &'x0t;help;bench;raft'= {
        }
        &'x0t;help;bench;mesh'= {
        }
        &'x0t;help;bench;fill'= {
        }
        &'x0t;help;bench;rag'= {
        }
        &'x0t;help;bench;workload'= {
        }
        &'x0t;help;bench;tcp'= {
        }
        &'x0t;help;schema'= {
        }
        &'x0t;help;doctor'= {
        }
        &'x0t;help;version'= {
        }
        &'x0t;help;completions'= {
        }
        &'x0t;help;man'= {
        }
        &'x0t;help;help'= {
        }
    ]
    $completions[$command]
}
