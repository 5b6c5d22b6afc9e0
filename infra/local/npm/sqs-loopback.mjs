// Starts the fauxqs SQS emulator for zohosync's local stack, listening on 127.0.0.1 only.
//
// fauxqs asks its HTTP server to listen on 0.0.0.0; this launcher rewrites any
// all-interfaces listen() into a loopback one before fauxqs loads, and turns off
// its per-request logging. Port: FAUXQS_PORT (default 4566).
import net from 'node:net';

const loopback = '127.0.0.1';
const wildcard = (h) => h === undefined || h === null || h === '' || h === '0.0.0.0' || h === '::';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    if (wildcard(first.host) && first.path === undefined) args[0] = { ...first, host: loopback };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, loopback);
    else if (wildcard(args[1])) args[1] = loopback;
  }
  return listen.apply(this, args);
};

const { startFauxqs } = await import('fauxqs');
const server = await startFauxqs({ logger: false });
process.stdout.write(`fauxqs listening on ${loopback}:${server.port}\n`);
const stop = async () => { try { await server.stop(); } finally { process.exit(0); } };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
