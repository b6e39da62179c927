// Handlers of the Terraform example (zipped by archive_file).
const fs = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { Pool } = require('pg');

const run = promisify(execFile);
const pool = new Pool();
const ID = /^[A-Za-z0-9-]{1,64}$/;

exports.get = async (event) => {
  const id = event.pathParameters?.id ?? '';
  if (!ID.test(id)) return { statusCode: 400, body: 'bad id' };
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
  return { statusCode: 200, body: JSON.stringify(rows) };
};

exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) {
    // a fresh directory per object, removed afterwards; the key never becomes a file name
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'thumb-'));
    try {
      await run('convert', [path.join(dir, 'in'), '-resize', '64x64', path.join(dir, 'out.png')]);
      console.log('thumbnail for', record.s3?.object?.key);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records ?? []) {
    const job = JSON.parse(record.body);
    if (!Array.isArray(job.rows)) continue;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'export-'));
    try {
      const file = path.join(dir, 'export.csv');
      await fs.writeFile(file, job.rows.map(String).join('\n'));
      await run('gzip', [file]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
};
