// A small multipart/form-data parser for the simulator (RFC 7578): enough for File Station uploads and
// Download Station .torrent uploads, which send text fields first and the file as the last part.

export interface MultipartFile {
	field: string;
	filename: string;
	contentType?: string;
	data: Buffer;
}

export function parseMultipart(
	body: Buffer,
	contentType: string,
): { fields: Record<string, string>; files: MultipartFile[] } {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!match) throw new Error('multipart body without boundary');
	const boundary = Buffer.from(`--${match[1] ?? match[2]}`);
	const fields: Record<string, string> = {};
	const files: MultipartFile[] = [];
	let position = body.indexOf(boundary);
	while (position >= 0) {
		const start = position + boundary.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(boundary, start);
		if (next < 0) break;
		// part = CRLF headers CRLF CRLF content CRLF
		const part = body.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		const headers = part.subarray(0, headerEnd).toString('utf8');
		const content = part.subarray(headerEnd + 4);
		const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
		const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
		if (filename !== undefined) {
			files.push({
				field: name,
				filename,
				contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
				data: Buffer.from(content),
			});
		} else {
			fields[name] = content.toString('utf8');
		}
		position = next;
	}
	return { fields, files };
}
