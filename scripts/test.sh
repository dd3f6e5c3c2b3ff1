#!/usr/bin/env bash
# `npm test`: everything the suites need, then every suite. Installs what is missing (the dependencies,
# the native add-ons, Debian's packages the suites drive: as root, otherwise it names them and stops),
# starts a real Swift, RabbitMQ, Keystone and Barbican on 127.0.0.1, type-checks, lints (ESLint, Prettier), and runs the four jest projects: unit, contract, e2e and
# soak. Arguments go to jest (`npm test -- test/e2e/backup-lifecycle`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/install-test-deps.sh
bash scripts/swift-saio.sh start
bash scripts/rabbitmq.sh start
bash scripts/keystone.sh start
bash scripts/barbican.sh start
npx tsc -p tsconfig.json --noEmit
# ESLint and Prettier: a style problem fails the run as a failing test does.
npx eslint .
npx prettier --check . >/dev/null
if [ $# -gt 0 ]; then exec npx jest "$@"; fi
npx jest --selectProjects unit contract e2e
# The soak suites time worker leases under load: alone, as users run several processes, not beside 3 jest workers.
npx jest --selectProjects soak
