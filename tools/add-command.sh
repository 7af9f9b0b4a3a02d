#!/usr/bin/env bash
# Registers a new app command in the three places Tauri needs it: build.rs (COMMANDS, which makes the
# allow-… permission), capabilities/main.json (grants it) and lib.rs (generate_handler!). The fourth place is
# the typed function in ui/src/ipc/client.ts, written by hand; the test
# `bindings::tests::every_command_is_registered_in_all_four_places` fails until all four agree.
# Usage: tools/add-command.sh <command_name>
set -euo pipefail
cd "$(dirname "$0")/../src-tauri"
name="$1"
grep -q "\"$name\"," build.rs || sed -i "s/^];/    \"$name\",\n];/" build.rs
grep -q "allow-${name//_/-}\"" capabilities/main.json || python3 - "$name" <<'PY'
import json, sys
name = sys.argv[1]
p = 'capabilities/main.json'
c = json.load(open(p))
c['permissions'].append('allow-' + name.replace('_', '-'))
open(p, 'w').write(json.dumps(c, ensure_ascii=False, indent=2) + '\n')
PY
grep -q "commands::$name," src/lib.rs || sed -i "s/^        \])/            commands::$name,\n        ])/" src/lib.rs
