package org.ccm.core;

import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The fields a write speaks about. An upsert gives the whole profile, so an absent field
 * is removed; an import row gives only its file's columns, and the others keep their
 * stored values. The name is always given; a locale or time zone left empty keeps the
 * stored one.
 *
 * @param attributes the attributes given, an empty one removing the stored value; null
 * when the given attributes replace all stored ones
 */
record FieldsGiven(Set<Field> fields, @Nullable Set<String> attributes) {

	/**
	 * Everything: the details replace the stored profile.
	 */
	static final FieldsGiven ALL = new FieldsGiven(EnumSet.allOf(Field.class), null);

	enum Field {

		LOCALE, TIME_ZONE, EMAIL, PHONE, ADDRESS, PREFERENCES, QUIET_HOURS

	}

	boolean has(Field field) {
		return fields.contains(field);
	}

}
