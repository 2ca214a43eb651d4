// Preloaded by `npm run bench` (node --import) into the processes it measures: on exit, writes the
// process's peak resident set size in KB to the file named by FOOTGUN_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.FOOTGUN_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
