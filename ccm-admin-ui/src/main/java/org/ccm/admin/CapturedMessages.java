package org.ccm.admin;

import java.time.Instant;
import java.util.List;

/**
 * Mail and SMS captured by the local sandbox servers of the default run, shown to staff
 * so a newcomer can see what customers would have received. No such bean exists in
 * production.
 */
public interface CapturedMessages {

	List<CapturedMail> mail();

	List<CapturedSms> sms();

	record CapturedMail(Instant receivedAt, String from, List<String> to, String subject, String rawMessage) {
	}

	record CapturedSms(Instant receivedAt, String from, String to, String body) {
	}

}
