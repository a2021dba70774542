import type { Socket } from 'node:net';

const coalescing = Symbol('coalescing writes');

/**
 * ioredis writes every command to the socket at once: one system call per command, hundreds per
 * tick when a batch of tasks finishes (a BullMQ script call each). Corking the socket on the first
 * write of a tick and uncorking it once the tick's work is done sends them in one writev, with no
 * change to how commands are ordered or answered (unlike auto-pipelining, which waits for one
 * pipeline's replies before sending the next). Applied to each new socket (after a reconnect too).
 * Measured with `pnpm bench`: the worker's read/write system calls fell from ~1.7 to 0.4–0.6 per user.
 */
export function coalesceWrites(socket: Socket): void {
  const tagged = socket as Socket & { [coalescing]?: true };
  if (tagged[coalescing]) return;
  tagged[coalescing] = true;
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
