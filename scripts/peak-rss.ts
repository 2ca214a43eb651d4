// Preloaded by `npm run bench` (node --import) into the processes it measures: on exit, writes the
// process's peak resident set size (KB) and CPU time (user + system, ms) to the file named by
// FOOTGUN_PEAK_RSS_FILE, as JSON.
import { writeFileSync } from 'node:fs';

const file = process.env.FOOTGUN_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
