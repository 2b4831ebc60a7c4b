package org.ccm.templates;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Numbers, money and dates written for the customer's locale. One instance per
 * composition: {@link NumberFormat} is not thread-safe. Developer-owned layouts call it
 * as {@code fmt}; marketer blocks only see its results.
 */
final class Formats {

	// never used to format, only copied (NumberFormat is not thread-safe)
	private static final Map<MoneyKey, NumberFormat> MONEY = new ConcurrentHashMap<>();

	private static final Map<Locale, NumberFormat> NUMBERS = new ConcurrentHashMap<>();

	private static final Map<Locale, DateTimeFormatter> DATES = new ConcurrentHashMap<>();

	private final Locale locale;

	private final @Nullable Currency currency;

	private final NumberFormat money;

	private final NumberFormat number;

	private final DateTimeFormatter date;

	Formats(Locale locale, @Nullable String currencyCode) {
		this.locale = locale;
		this.currency = currency(currencyCode);
		// copies of formats set up once per locale and currency: looking up a locale's
		// formats costs more than the copy
		this.money = (NumberFormat) MONEY
			.computeIfAbsent(new MoneyKey(locale, this.currency), (key) -> moneyFormat(locale, this.currency))
			.clone();
		this.number = (NumberFormat) NUMBERS.computeIfAbsent(locale, Formats::numberFormat).clone();
		this.date = DATES.computeIfAbsent(locale,
				(key) -> DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(key));
	}

	private record MoneyKey(Locale locale, @Nullable Currency currency) {
	}

	private static NumberFormat moneyFormat(Locale locale, @Nullable Currency currency) {
		NumberFormat money = NumberFormat.getCurrencyInstance(locale);
		if (currency != null) {
			money.setCurrency(currency);
			money.setMinimumFractionDigits(currency.getDefaultFractionDigits());
			money.setMaximumFractionDigits(currency.getDefaultFractionDigits());
		}
		return money;
	}

	private static NumberFormat numberFormat(Locale locale) {
		NumberFormat number = NumberFormat.getNumberInstance(locale);
		number.setMaximumFractionDigits(6);
		return number;
	}

	public Locale locale() {
		return this.locale;
	}

	public String money(@Nullable Object amount) {
		BigDecimal value = decimal(amount);
		if (value == null) {
			return (amount != null) ? amount.toString() : "";
		}
		return this.money.format(value);
	}

	/**
	 * The product of a quantity and a unit price as money (an invoice line's amount).
	 */
	public String money(@Nullable Object quantity, @Nullable Object unitPrice) {
		BigDecimal q = decimal(quantity);
		BigDecimal p = decimal(unitPrice);
		return (q != null && p != null) ? money(q.multiply(p)) : "";
	}

	public String number(@Nullable Object value) {
		BigDecimal decimal = decimal(value);
		if (decimal == null) {
			return (value != null) ? value.toString() : "";
		}
		return this.number.format(decimal);
	}

	/**
	 * An ISO-8601 date ({@code 2026-11-30}) in the locale's long form; anything else as
	 * given.
	 */
	public String date(@Nullable Object iso) {
		if (iso == null) {
			return "";
		}
		try {
			return this.date.format(LocalDate.parse(iso.toString()));
		}
		catch (DateTimeParseException ex) {
			return iso.toString();
		}
	}

	private static @Nullable Currency currency(@Nullable String code) {
		if (code == null) {
			return null;
		}
		try {
			return Currency.getInstance(code);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable BigDecimal decimal(@Nullable Object value) {
		if (value instanceof BigDecimal decimal) {
			return decimal;
		}
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			return BigDecimal.valueOf(((Number) value).longValue());
		}
		if (value instanceof Number number) {
			// through the shortest decimal representation, so 0.45 stays 0.45
			return new BigDecimal(number.toString());
		}
		if (value instanceof String text) {
			try {
				return new BigDecimal(text.strip());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

}
