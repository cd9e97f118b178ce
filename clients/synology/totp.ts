import { createHmac } from 'node:crypto';

import { SynologyInputError } from './errors';

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), what DSM's 2-step verification uses with authenticator apps. With
// the secret from DSM's 2FA setup (the "key" shown beside the QR code) n8n can log in unattended even when the
// device token is lost.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
	const clean = input.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
	let bits = 0;
	let value = 0;
	const bytes: number[] = [];
	// The errors never quote the secret or any character of it: error messages end up in n8n's execution data
	// and logs, and every character shown narrows down a 2FA secret.
	if (clean === '')
		throw new SynologyInputError('the OTP secret is empty: copy the key DSM shows beside the QR code');
	for (const char of clean) {
		const index = ALPHABET.indexOf(char);
		if (index < 0) {
			throw new SynologyInputError(
				'the OTP secret is not base32: it may contain only the letters A-Z and the digits 2-7 (spaces, dashes ' +
					'and trailing "=" are ignored); copy the key DSM shows beside the QR code again',
			);
		}
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			bytes.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(bytes);
}

export function totp(secret: string, time = Date.now(), stepSeconds = 30, digits = 6): string {
	const counter = Math.floor(time / 1000 / stepSeconds);
	const message = Buffer.alloc(8);
	message.writeBigUInt64BE(BigInt(counter));
	const hmac = createHmac('sha1', base32Decode(secret)).update(message).digest();
	const offset = hmac[hmac.length - 1] & 0x0f;
	const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
	return String(code).padStart(digits, '0');
}
