import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** `smtp://<user>:<pass>@127.0.0.1:<port>` */
  url: string;
  /** Envelope recipients and parsed message of every accepted mail. */
  received: { rcptTo: string[]; mail: ParsedMail }[];
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** An RCPT TO for this address gets `550 5.1.1 <address>: Recipient address rejected: User unknown`. */
  unknownRecipient?: string;
  /** Every DATA gets `550 5.7.1 Message rejected as spam`. */
  rejectData?: boolean;
}

const USER = 'hive';
const PASSWORD = 's3cret pass';

/** A real SMTP server in-process on 127.0.0.1 (plain text, AUTH required) that keeps what it accepts. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: SmtpSink['received'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === options.unknownRecipient) {
        callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (options.rejectData) return callback(smtpError(550, '5.7.1 Message rejected as spam'));
          received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

function smtpError(responseCode: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode });
}
