import { ensureTemporalCli } from '../client/temporal-cli.js';

ensureTemporalCli()
  .then((binary) => console.error(`Temporal CLI: ${binary}`))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
