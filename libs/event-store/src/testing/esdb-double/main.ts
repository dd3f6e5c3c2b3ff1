import { EsdbDouble } from './esdb-double';

/**
 * Runs the EventStoreDB double as its own process, for multi-process tests and local experiments:
 *   node scripts/esdb-double.js [--host 127.0.0.1] [--port 2113]
 * Prints one line, `esdb-double listening on esdb://HOST:PORT?tls=false`, once it accepts connections,
 * and stops on SIGINT/SIGTERM.
 */
const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
};

const main = async () => {
  const port = Number(argument('port', '2113'));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`--port must be a port number, not ${argument('port', '')}`);
  const double = await EsdbDouble.start({ host: argument('host', '127.0.0.1'), port });
  process.stdout.write(`esdb-double listening on ${double.connectionString}\n`);
  const stop = () => void double.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`esdb-double: ${(error as Error).message}\n`);
  process.exit(1);
});
