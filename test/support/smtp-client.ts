import { createConnection } from 'node:net';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

export interface SmtpAnswer {
  /** 250 when the message was accepted, else the reply code that refused it. */
  code: number;
  /** The refusing reply's text, or the accepting one's. */
  response: string;
  /** Recipients refused while others were accepted. */
  rejected: string[];
}

/** Sends one mail with nodemailer over plain SMTP and answers with the server's verdict instead of throwing it. */
export async function sendMail(port: number, mail: Mail.Options): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5000, socketTimeout: 20_000 });
  try {
    const info = await transport.sendMail({ from: 'monitor@example.com', ...mail });
    return { code: Number(/^\d{3}/.exec(info.response)?.[0] ?? 0), response: info.response, rejected: info.rejected.map(String) };
  } catch (error) {
    const { responseCode, response, message } = error as Error & { responseCode?: number; response?: string };
    if (responseCode === undefined) throw error;
    return { code: responseCode, response: response ?? message, rejected: [] };
  }
}

/**
 * A bare SMTP dialogue over a socket, for what nodemailer would not send (a message larger than the advertised SIZE
 * without declaring it): each line is sent after the previous reply, and the replies come back in order.
 */
export async function smtpDialogue(port: number, lines: string[]): Promise<string[]> {
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.setEncoding('utf8');
  let buffered = '';
  const waiting: Array<(reply: string) => void> = [];
  const replies: string[] = [];
  socket.on('data', (data: string) => {
    buffered += data;
    // A reply ends with a line "NNN text" (a space after the code); "NNN-text" lines continue it.
    for (let end = /^\d{3} .*\r\n/m.exec(buffered); end; end = /^\d{3} .*\r\n/m.exec(buffered)) {
      const reply = buffered.slice(0, end.index + end[0].length);
      buffered = buffered.slice(reply.length);
      const next = waiting.shift();
      if (next) next(reply.trim());
      else replies.push(reply.trim());
    }
  });
  const nextReply = () => new Promise<string>((resolve, reject) => {
    const queued = replies.shift();
    if (queued !== undefined) return resolve(queued);
    waiting.push(resolve);
    socket.once('error', reject);
  });
  try {
    const answers = [await nextReply()];
    for (const line of lines) {
      socket.write(`${line}\r\n`);
      // The message lines of DATA get no reply of their own, only its final ".".
      if (answers[answers.length - 1]?.startsWith('354') && line !== '.') continue;
      answers.push(await nextReply());
    }
    return answers;
  } finally {
    socket.destroy();
  }
}
