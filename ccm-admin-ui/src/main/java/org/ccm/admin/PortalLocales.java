package org.ccm.admin;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/**
 * The portal speaks the customer's language, not the browser's: its pages name the
 * customer's locale for the request, and the texts fall back like documents do
 * ({@code pl-PL}, then {@code pl}, then the default, English). Every other page keeps the
 * browser's language.
 */
@Configuration(proxyBeanMethods = false)
class PortalLocales {

	private static final String LOCALE = PortalLocales.class.getName() + ".locale";

	/** Renders this request's page in the customer's locale. */
	static void use(HttpServletRequest request, Locale locale) {
		request.setAttribute(LOCALE, locale);
	}

	@Bean
	LocaleResolver localeResolver() {
		return new AcceptHeaderLocaleResolver() {

			@Override
			public Locale resolveLocale(HttpServletRequest request) {
				return (request.getAttribute(LOCALE) instanceof Locale chosen) ? chosen : super.resolveLocale(request);
			}

		};
	}

	@Bean
	MessageSource messageSource() {
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasenames("messages/portal");
		messages.setDefaultEncoding("UTF-8");
		// a language without texts gets the default ones, never the server's language
		messages.setFallbackToSystemLocale(false);
		return messages;
	}

}
