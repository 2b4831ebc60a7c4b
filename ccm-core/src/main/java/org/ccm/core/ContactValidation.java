package org.ccm.core;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.jspecify.annotations.Nullable;

/**
 * Checks and normalises contact points: phone numbers become E.164 through
 * libphonenumber, email addresses must be a plain {@code local@domain} an SMTP relay
 * accepts.
 */
final class ContactValidation {

	// RFC 5321 dot-atom local part; quoted local parts are legal but no relay we target
	// accepts them
	private static final Pattern LOCAL_PART = Pattern
		.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

	private static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	private static final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

	// the JDK builds a new set on every call; an import asks once per row
	private static final Set<String> COUNTRIES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));

	private ContactValidation() {
	}

	/**
	 * The address trimmed with its domain in lower case, or empty when it is not a
	 * deliverable address.
	 */
	static Optional<String> email(String value) {
		String email = value.strip();
		int at = email.lastIndexOf('@');
		if (email.length() > 254 || at <= 0 || at == email.length() - 1) {
			return Optional.empty();
		}
		String local = email.substring(0, at);
		String domain;
		try {
			domain = IDN.toASCII(email.substring(at + 1), IDN.USE_STD3_ASCII_RULES);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (local.length() > 64 || !LOCAL_PART.matcher(local).matches() || !validDomain(domain)) {
			return Optional.empty();
		}
		return Optional.of(local + "@" + email.substring(at + 1).toLowerCase(Locale.ROOT));
	}

	private static boolean validDomain(String domain) {
		String[] labels = domain.split("\\.", -1);
		if (labels.length < 2 || domain.length() > 253) {
			return false;
		}
		for (String label : labels) {
			if (!DOMAIN_LABEL.matcher(label).matches()) {
				return false;
			}
		}
		return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
	}

	/**
	 * The number in E.164, or empty when libphonenumber does not consider it a valid
	 * number.
	 * @param region ISO 3166-1 region for numbers written without a country code
	 */
	static Optional<String> phone(String value, @Nullable String region) {
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

	static boolean isCountry(String code) {
		return code.length() == 2 && COUNTRIES.contains(code.toUpperCase(Locale.ROOT));
	}

}
