package org.ccm.core;

import java.net.IDN;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContactValidationTests {

	// the rules as regular expressions, as they were first written
	static final Pattern LOCAL_PART = Pattern
		.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

	static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	static Optional<String> byRegularExpressions(String value) {
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
		String[] labels = domain.split("\\.", -1);
		boolean domainValid = labels.length >= 2 && domain.length() <= 253
				&& List.of(labels).stream().allMatch((label) -> DOMAIN_LABEL.matcher(label).matches())
				&& !labels[labels.length - 1].chars().allMatch(Character::isDigit);
		if (local.length() > 64 || !LOCAL_PART.matcher(local).matches() || !domainValid) {
			return Optional.empty();
		}
		return Optional.of(local + "@" + email.substring(at + 1).toLowerCase(Locale.ROOT));
	}

	@Test
	void emailChecksAgreeWithTheRegularExpressions() {
		List<String> locals = List.of("a", "alice.martin", "Alice", "o'brien", "a+tag", "a..b", ".a", "a.", "a b",
				"\"quoted\"", "a_b-c", "x".repeat(64), "x".repeat(65), "ünï", "a@b", "", "{}|~", "a.b.c.d");
		List<String> domains = List.of("example.com", "Example.COM", "sub.example.co.uk", "example", "example.",
				".example.com", "example..com", "-example.com", "example-.com", "ex_ample.com", "exa-mple.com",
				"123.456", "example.123", "1.example.com", "münchen.de", "xn--mnchen-3ya.de", "例え.jp",
				"a".repeat(63) + ".com", "a".repeat(64) + ".com", "example.com ", "exa mple.com", "", "@example.com",
				"example.c0m", "EXAMPLE.COM");
		List<String> addresses = new ArrayList<>();
		for (String local : locals) {
			for (String domain : domains) {
				addresses.add(local + "@" + domain);
			}
		}
		addresses.addAll(List.of("", "@", "plain", " alice@example.com ", "a@b@example.com", "@example.com", "alice@",
				"a".repeat(250) + "@example.com"));

		for (String address : addresses) {
			assertThat(ContactValidation.email(address)).as(address).isEqualTo(byRegularExpressions(address));
		}
		assertThat(ContactValidation.email(" Alice.Martin@Example.COM ")).contains("Alice.Martin@example.com");
		assertThat(ContactValidation.email("bob@@example")).isEmpty();
	}

	@Test
	void phoneNumbersAlreadyInE164AgreeWithTheParser() {
		PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
		List<String> numbers = new ArrayList<>(List.of("", "+", "+1", "+12", "+123", "+1234", "+0123456789",
				"+999999999", "+1234567890123456789", " +33612345678 ", "+33 6 12 34 56 78", "+33612345678",
				"+330612345678", "+3306123456789", "+390612345678", "+39 06 1234 5678", "+4407911123456",
				"+447911123456", "+12127365000", "+1212736500", "+80012345678", "+8001234567890", "+882130000000",
				"+5491123456789", "+541123456789", "+52155512345678", "+5215512345678", "+79161234567",
				"+7 916 123-45-67", "+33612345678x12", "+33612345678;ext=12", "+336123456a8", "+٣٣٦١٢٣٤٥٦٧٨"));
		// every region's example numbers of every type, and near misses: a digit more, a
		// digit less, another last digit, a national prefix after the country code
		for (String region : phones.getSupportedRegions()) {
			for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
				PhoneNumber example = phones.getExampleNumberForType(region, type);
				if (example != null) {
					addWithNearMisses(numbers, phones.format(example, PhoneNumberUtil.PhoneNumberFormat.E164),
							example.getCountryCode());
				}
			}
		}
		for (int code : phones.getSupportedGlobalNetworkCallingCodes()) {
			PhoneNumber example = phones.getExampleNumberForNonGeoEntity(code);
			if (example != null) {
				addWithNearMisses(numbers, phones.format(example, PhoneNumberUtil.PhoneNumberFormat.E164), code);
			}
		}
		// random digits after every calling code and after codes that do not exist
		Random random = new Random(7);
		List<Integer> codes = new ArrayList<>(phones.getSupportedCallingCodes());
		codes.addAll(List.of(0, 28, 42, 89, 210, 999));
		for (int code : codes) {
			for (int i = 0; i < 150; i++) {
				StringBuilder number = new StringBuilder("+").append(code);
				int length = 1 + random.nextInt(17);
				for (int d = 0; d < length; d++) {
					number.append((char) ('0' + random.nextInt(10)));
				}
				numbers.add(number.toString());
			}
		}

		int decidedWithoutParser = 0;
		int valid = 0;
		for (String number : numbers) {
			for (String region : Arrays.asList("FR", "GB", "US", "ZZ", null)) {
				assertThat(ContactValidation.phone(number, region)).as(number + " in " + region)
					.isEqualTo(ContactValidation.parsed(number, region));
			}
			if (ContactValidation.validE164(number.strip()) != null) {
				decidedWithoutParser++;
			}
			if (ContactValidation.parsed(number, null).isPresent()) {
				valid++;
			}
		}
		// the comparison covers both answers, and the fast path really answers
		assertThat(numbers).hasSizeGreaterThan(40_000);
		assertThat(valid).isGreaterThan(3_000);
		assertThat(decidedWithoutParser).isGreaterThan(numbers.size() / 2);
		assertThat(ContactValidation.validE164("+33612345678")).isTrue();
		assertThat(ContactValidation.validE164("+33012345678")).isNull();
		assertThat(ContactValidation.phone("+330612345678", "FR")).contains("+33612345678");
		assertThat(ContactValidation.phone("06 12 34 56 78", "FR")).contains("+33612345678");
	}

	private static void addWithNearMisses(List<String> numbers, String e164, int countryCode) {
		String code = Integer.toString(countryCode);
		numbers.add(e164);
		numbers.add(e164 + "5");
		numbers.add(e164.substring(0, e164.length() - 1));
		numbers.add(e164.substring(0, e164.length() - 1) + ((e164.charAt(e164.length() - 1) == '9') ? '0' : '9'));
		numbers.add("+" + code + "0" + e164.substring(1 + code.length()));
		numbers.add("+" + code + "1" + e164.substring(1 + code.length()));
	}

}
