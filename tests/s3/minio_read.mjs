// Read back what qatools stored in an S3 bucket with a standard S3 client (npm minio, locked):
//   node minio_read.mjs ENDPOINT BUCKET PREFIX OUT
// lists every object under PREFIX/ (ListObjectsV2, recursive), writes each one to OUT/<key
// without the prefix> and prints those relative keys, one a line, sorted. Credentials come from
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the region from AWS_REGION (else us-east-1).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as Minio from 'minio';

const [endpoint, bucket, prefix, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node minio_read.mjs ENDPOINT BUCKET PREFIX OUT');
  process.exit(2);
}
const url = new URL(endpoint);
const client = new Minio.Client({
  endPoint: url.hostname,
  port: Number(url.port),
  useSSL: url.protocol === 'https:',
  pathStyle: true,
  region: process.env.AWS_REGION || 'us-east-1',
  accessKey: process.env.AWS_ACCESS_KEY_ID,
  secretKey: process.env.AWS_SECRET_ACCESS_KEY,
});

const under = prefix ? `${prefix}/` : '';
const keys = [];
for await (const object of client.listObjectsV2(bucket, under, true)) {
  keys.push(object.name);
}
keys.sort();
for (const key of keys) {
  const rel = key.slice(under.length);
  const target = path.join(out, rel);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const stream = await client.getObject(bucket, key);
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  await fs.writeFile(target, Buffer.concat(chunks));
  console.log(rel);
}
