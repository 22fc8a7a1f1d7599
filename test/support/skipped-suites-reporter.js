// Jest reporter: says in one line which suites did not run on MySQL/MariaDB and how to run them, instead of a bare
// "N skipped". Plain JavaScript: Jest loads reporters without transforming them.
class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    if (!process.env.TEST_REDIS_URL) {
      console.log(
        '\nRedis: not tested (the BullMQ queue suites ran on the in-process queue only, the two-replica suite not at ' +
          'all). Set TEST_REDIS_URL (and TEST_MYSQL_URL) to run them, e.g. TEST_REDIS_URL=redis://127.0.0.1:6379/5',
      );
    }
    if (process.env.TEST_MYSQL_URL) return;
    const skipped = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'skipped') skipped.add(test.ancestorTitles[0] ?? test.title);
      }
    }
    const names = skipped.size > 0 ? `skipped MySQL-only suites: ${[...skipped].join(', ')}; ` : '';
    console.log(
      `\nMySQL/MariaDB: not tested (${names}every e2e suite ran on SQLite only). ` +
        'Set TEST_MYSQL_URL to run them, e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm test',
    );
  }
}

module.exports = SkippedSuitesReporter;
