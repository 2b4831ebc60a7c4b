package org.ccm.templates;

/**
 * How an SMS text travels: in the GSM 03.38 alphabet (7 bits a character, 160 in one
 * message, 153 per part when concatenated; extension characters such as {@code €} take
 * two), or else in UCS-2 (70 characters, 67 per part).
 *
 * @param encoding {@code GSM-7} or {@code UCS-2}
 * @param units characters as the network counts them (septets for GSM-7, UTF-16 units for
 * UCS-2)
 * @param segments messages the text is split into
 */
record SmsEncoding(String encoding, int units, int segments) {

	private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
			+ "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

	private static final String EXTENSION = "\f^{}\\[~]|€";

	public static SmsEncoding of(String text) {
		int septets = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (BASIC.indexOf(c) >= 0) {
				septets++;
			}
			else if (EXTENSION.indexOf(c) >= 0) {
				septets += 2;
			}
			else {
				int units = text.length();
				return new SmsEncoding("UCS-2", units, (units <= 70) ? 1 : (units + 66) / 67);
			}
		}
		return new SmsEncoding("GSM-7", septets, (septets <= 160) ? 1 : (septets + 152) / 153);
	}

}
