import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (the `smtp-server` package) on a loopback port, keeping every message it accepted,
 * parsed by `mailparser`. It can refuse chosen mailboxes (550) and be stopped and restarted on the same
 * port, to play an outage.
 */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  /** Addresses answered `550 5.1.1 no such user` at RCPT TO. */
  readonly unknownMailboxes = new Set<string>();
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      // stop() ends open (pooled) client connections after this grace period, like a restarting server.
      closeTimeout: 200,
      onRcptTo: (address, _session, callback) => {
        if (!this.unknownMailboxes.has(address.address.toLowerCase())) return callback();
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.received.push(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((v) => v.address === address));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
