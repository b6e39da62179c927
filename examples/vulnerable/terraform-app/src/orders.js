// Handlers of the Terraform example (zipped by archive_file). Deliberately vulnerable: do not deploy.
const fs = require('node:fs');
const { execSync } = require('node:child_process');
const { Pool } = require('pg');

const pool = new Pool();

exports.get = async (event) => {
  const id = event.pathParameters?.id;
  // SQL injection: the path parameter is concatenated into the query
  const { rows } = await pool.query(`SELECT * FROM orders WHERE id = '${id}'`);
  return { statusCode: 200, body: JSON.stringify(rows) };
};

exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) console.log('uploaded', record.s3?.object?.key);
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records ?? []) {
    const job = JSON.parse(record.body);
    // the message chooses the file name under /tmp, and its fields reach a shell
    fs.writeFileSync(`/tmp/${job.name}.csv`, job.rows.join('\n'));
    execSync(`gzip "/tmp/${job.name}.csv"`);
  }
};
