package org.ccm.core;

import java.net.IDN;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import org.jspecify.annotations.Nullable;

/**
 * Checks and normalises contact points: phone numbers become E.164 through
 * libphonenumber, email addresses must be a plain {@code local@domain} an SMTP relay
 * accepts.
 */
final class ContactValidation {

	// RFC 5321 dot-atom characters; quoted local parts are legal but no relay we target
	// accepts them
	private static final String ATOM = "!#$%&'*+/=?^_`{|}~-";

	private static final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

	// the JDK builds a new set on every call; an import asks once per row
	private static final Set<String> COUNTRIES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));

	private ContactValidation() {
	}

	/**
	 * The address trimmed with its domain in lower case, or empty when it is not a
	 * deliverable address. Checked by scanning the characters: imports check millions of
	 * addresses, and regular expressions made this the costliest check after phone
	 * numbers.
	 */
	static Optional<String> email(String value) {
		String email = value.strip();
		int at = email.lastIndexOf('@');
		if (email.length() > 254 || at <= 0 || at == email.length() - 1) {
			return Optional.empty();
		}
		String local = email.substring(0, at);
		String given = email.substring(at + 1);
		// IDN leaves an ASCII domain as it is, and validDomain is stricter than its rules
		String domain = given;
		if (!isAscii(given)) {
			try {
				domain = IDN.toASCII(given, IDN.USE_STD3_ASCII_RULES);
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
		}
		if (local.length() > 64 || !dotAtom(local) || !validDomain(domain)) {
			return Optional.empty();
		}
		return Optional.of(local + "@" + given.toLowerCase(Locale.ROOT));
	}

	private static boolean dotAtom(String local) {
		boolean afterDot = true;
		for (int i = 0; i < local.length(); i++) {
			char c = local.charAt(i);
			if (c == '.') {
				if (afterDot) {
					return false;
				}
				afterDot = true;
			}
			else if (isAsciiLetterOrDigit(c) || ATOM.indexOf(c) >= 0) {
				afterDot = false;
			}
			else {
				return false;
			}
		}
		return !afterDot;
	}

	private static boolean validDomain(String domain) {
		String[] labels = domain.split("\\.", -1);
		if (labels.length < 2 || domain.length() > 253) {
			return false;
		}
		for (String label : labels) {
			if (!validLabel(label)) {
				return false;
			}
		}
		return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
	}

	// letters, digits and inner hyphens, at most 63
	private static boolean validLabel(String label) {
		int length = label.length();
		if (length == 0 || length > 63 || !isAsciiLetterOrDigit(label.charAt(0))
				|| !isAsciiLetterOrDigit(label.charAt(length - 1))) {
			return false;
		}
		for (int i = 1; i < length - 1; i++) {
			char c = label.charAt(i);
			if (!isAsciiLetterOrDigit(c) && c != '-') {
				return false;
			}
		}
		return true;
	}

	private static boolean isAsciiLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 0x7F) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The number in E.164, or empty when libphonenumber does not consider it a valid
	 * number.
	 * @param region ISO 3166-1 region for numbers written without a country code
	 */
	static Optional<String> phone(String value, @Nullable String region) {
		String number = value.strip();
		Boolean valid = validE164(number);
		if (valid == null) {
			return parsed(number, region);
		}
		return valid ? Optional.of(number) : Optional.empty();
	}

	/**
	 * The number read by libphonenumber's parser: its regular expressions (extensions,
	 * punctuation, national prefixes) cost more than the validity check itself.
	 */
	static Optional<String> parsed(String value, @Nullable String region) {
		try {
			PhoneNumber number = phones.parse(value.strip(), region != null ? region.toUpperCase(Locale.ROOT) : "ZZ");
			if (!phones.isValidNumber(number)) {
				return Optional.empty();
			}
			return Optional.of(phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
		}
		catch (NumberParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Whether a number already written as {@code +} and digits, the form most files
	 * carry, is valid, decided without the parser: the country code is taken as the
	 * parser takes it and libphonenumber checks the number. Null, for the parser to
	 * decide, whenever the parser would do more than that (a national prefix to strip, a
	 * leading zero, a non-geographic code, an unusual length). The region does not
	 * matter: the parser ignores it for such numbers. {@code ContactValidationTests}
	 * compares both ways on many numbers.
	 */
	static @Nullable Boolean validE164(String number) {
		int length = number.length();
		if (length < 5 || length > 18 || number.charAt(0) != '+' || number.charAt(1) == '0') {
			return null;
		}
		for (int i = 1; i < length; i++) {
			char c = number.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
		}
		// country codes are prefix-free: the parser takes the first known one
		int national = 0;
		String region = UNKNOWN_REGION;
		for (int i = 1; i <= 3 && national == 0; i++) {
			region = phones.getRegionCodeForCountryCode(Integer.parseInt(number, 1, 1 + i, 10));
			if (!UNKNOWN_REGION.equals(region)) {
				national = 1 + i;
			}
		}
		int nationalLength = length - national;
		if (national == 0 || PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region) || nationalLength < 2
				|| nationalLength > 17 || number.charAt(national) == '0') {
			return null;
		}
		Pattern prefix = nationalPrefixes.computeIfAbsent(region, ContactValidation::nationalPrefix);
		if (prefix != NO_PREFIX && prefix.matcher(number).region(national, length).lookingAt()) {
			return null;
		}
		PhoneNumber parsed = new PhoneNumber().setCountryCode(Integer.parseInt(number, 1, national, 10))
			.setNationalNumber(Long.parseLong(number, national, length, 10));
		return phones.isValidNumber(parsed);
	}

	private static final String UNKNOWN_REGION = "ZZ";

	private static final Pattern NO_PREFIX = Pattern.compile("");

	// the national prefix the parser strips after the country code, per main region
	private static final Map<String, Pattern> nationalPrefixes = new ConcurrentHashMap<>();

	private static Pattern nationalPrefix(String region) {
		PhoneMetadata metadata = DefaultMetadataDependenciesProvider.getInstance()
			.getPhoneNumberMetadataSource()
			.getMetadataForRegion(region);
		String prefix = (metadata != null) ? metadata.getNationalPrefixForParsing() : "";
		return prefix.isEmpty() ? NO_PREFIX : Pattern.compile(prefix);
	}

	static boolean isCountry(String code) {
		return code.length() == 2 && COUNTRIES.contains(code.toUpperCase(Locale.ROOT));
	}

}
