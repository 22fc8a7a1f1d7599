// Jest reporter: says in one line which suites did not run on MySQL/MariaDB or Redis and how to run them, instead of a
// bare "N skipped". Plain JavaScript: Jest loads reporters without transforming them.
// Suites that need Redis have a title starting with "Redis" (test/support/redis.ts: describeWithRedis).
class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'skipped') skipped.add(test.ancestorTitles[0] ?? test.title);
      }
    }
    const redisSuites = [...skipped].filter((name) => name.startsWith('Redis'));
    const mysqlSuites = [...skipped].filter((name) => !name.startsWith('Redis'));
    if (!process.env.TEST_MYSQL_URL) {
      const names = mysqlSuites.length > 0 ? `skipped MySQL-only suites: ${mysqlSuites.join(', ')}; ` : '';
      console.log(
        `\nMySQL/MariaDB: not tested (${names}every e2e suite ran on SQLite only). ` +
          'Set TEST_MYSQL_URL to run them, e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm test',
      );
    }
    if (!process.env.TEST_REDIS_URL && redisSuites.length > 0) {
      console.log(
        `\nRedis: not tested (skipped suites: ${redisSuites.join(', ')}). ` +
          'Set TEST_REDIS_URL to run them, e.g. TEST_REDIS_URL=redis://127.0.0.1:6379/15 npm test',
      );
    }
  }
}

module.exports = SkippedSuitesReporter;
