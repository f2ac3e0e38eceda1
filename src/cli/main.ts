import { runCli } from './run.js';

// Set the exit code rather than calling process.exit, so piped output is flushed first.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
