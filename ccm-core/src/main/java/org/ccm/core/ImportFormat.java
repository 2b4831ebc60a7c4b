package org.ccm.core;

/**
 * The file formats a bulk import reads.
 */
public enum ImportFormat {

	/**
	 * CSV with a header row: {@code externalId, name, locale, timeZone, email, phone,
	 * addressLine1..addressLine4, postcode, city, country, attr.<name>, preferences.<PURPOSE>}
	 * (channels separated by {@code |}), {@code quietHours} ({@code 21:00-08:00}) and
	 * {@code consent.<CHANNEL>.<PURPOSE>} ({@code true}/{@code false}). Comma or
	 * semicolon separated (detected from the header), RFC 4180 quoting with embedded
	 * newlines, UTF-8 with or without a byte order mark.
	 */
	CSV,

	/**
	 * One JSON object per line, shaped like the body of {@code PUT
	 * /api/v1/customers/{externalId}} plus {@code externalId}.
	 */
	JSON_LINES

}
