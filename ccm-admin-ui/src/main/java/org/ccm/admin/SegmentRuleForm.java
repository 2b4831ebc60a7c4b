package org.ccm.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccm.core.Channel;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.SegmentRule;
import org.jspecify.annotations.Nullable;

/**
 * The segment rule builder's form: a rule tree written as flat form fields whose names
 * are the paths the segment service uses in its messages ({@code rule.rules[1].value}),
 * so that every message lands next to the field it is about. The tree is read from the
 * fields, changed by the builder's buttons, and written back as fields; nothing but the
 * rule itself is kept between requests. Public because the page templates read its nodes.
 */
public final class SegmentRuleForm {

	static final String ROOT = "rule";

	/** The kinds of condition, in the order the builder offers them. */
	static final Map<String, String> CONDITIONS = conditions();

	static final List<String> OPS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "exists");

	static final List<String> PROFILE_OPS = List.of("eq", "ne", "in", "exists");

	static final List<String> COMPARISONS = List.of("eq", "ne", "gt", "gte", "lt", "lte");

	static final List<String> PROFILE_FIELDS = List.of("country", "city", "locale", "timeZone", "status");

	private static final Pattern CHILD = Pattern.compile("\\.rules\\[(\\d{1,4})]\\.");

	private SegmentRuleForm() {
	}

	private static Map<String, String> conditions() {
		Map<String, String> conditions = new LinkedHashMap<>();
		conditions.put("attribute", "Attribute");
		conditions.put("profile", "Profile field");
		conditions.put("bought", "Purchase");
		conditions.put("spend", "Spend");
		conditions.put("engaged", "Engagement");
		conditions.put("consent", "Consent");
		conditions.put("reachable", "Reachable on");
		return conditions;
	}

	/**
	 * One node of the tree as the page shows it: a group ({@code and}, {@code or}), a
	 * negation ({@code not}, with one child) or a condition with its field values.
	 */
	public record Node(String type, Map<String, String> values, List<Node> children) {

		static Node condition(String type) {
			return new Node(type, new LinkedHashMap<>(), new ArrayList<>());
		}

		static Node group(String type, Node... children) {
			return new Node(type, new LinkedHashMap<>(), new ArrayList<>(List.of(children)));
		}

		public boolean group() {
			return "and".equals(this.type) || "or".equals(this.type);
		}

		public boolean negation() {
			return "not".equals(this.type);
		}

		public String value(String name) {
			return this.values.getOrDefault(name, "");
		}

		/** How many nodes the tree has, this one included. */
		public int size() {
			return 1 + this.children.stream().mapToInt(Node::size).sum();
		}

	}

	/** A new rule: one group with one condition to fill in. */
	static Node empty() {
		return Node.group("and", Node.condition("attribute"));
	}

	/**
	 * Reads the tree from the posted fields; fields of unknown kinds are dropped, a tree
	 * without a root is a new rule.
	 */
	static Node read(Map<String, String> params) {
		if (!params.containsKey(ROOT + ".type")) {
			return empty();
		}
		return read(ROOT, params, 0);
	}

	private static Node read(String path, Map<String, String> params, int depth) {
		String type = params.getOrDefault(path + ".type", "attribute").strip();
		if (depth > 40) {
			return Node.condition("attribute");
		}
		if ("and".equals(type) || "or".equals(type)) {
			TreeSet<Integer> indexes = new TreeSet<>();
			String prefix = path + ".rules[";
			for (String name : params.keySet()) {
				if (name.startsWith(prefix)) {
					Matcher matcher = CHILD.matcher(name.substring(path.length()));
					if (matcher.lookingAt()) {
						indexes.add(Integer.parseInt(matcher.group(1)));
					}
				}
			}
			Node group = Node.group(type);
			for (int index : indexes) {
				group.children().add(read(prefix + index + "]", params, depth + 1));
			}
			return group;
		}
		if ("not".equals(type)) {
			return Node.group("not", read(path + ".rule", params, depth + 1));
		}
		if (!CONDITIONS.containsKey(type)) {
			type = "attribute";
		}
		Node condition = Node.condition(type);
		String prefix = path + ".";
		params.forEach((name, value) -> {
			if (name.startsWith(prefix) && name.indexOf('.', prefix.length()) < 0
					&& name.indexOf('[', prefix.length()) < 0 && !name.endsWith(".type")) {
				condition.values().put(name.substring(prefix.length()), value.strip());
			}
		});
		return condition;
	}

	/** A saved rule as the builder shows it. */
	static Node of(SegmentRule rule) {
		if (rule instanceof SegmentRule.And and) {
			return Node.group("and", and.rules().stream().map(SegmentRuleForm::of).toArray(Node[]::new));
		}
		if (rule instanceof SegmentRule.Or or) {
			return Node.group("or", or.rules().stream().map(SegmentRuleForm::of).toArray(Node[]::new));
		}
		if (rule instanceof SegmentRule.Not not) {
			return Node.group("not", of(not.rule()));
		}
		Map<String, String> values = new LinkedHashMap<>();
		String type;
		if (rule instanceof SegmentRule.Attribute attribute) {
			type = "attribute";
			values.put("name", attribute.name());
			values.put("op", name(attribute.op()));
			values.put("value", text(attribute.value()));
		}
		else if (rule instanceof SegmentRule.Profile profile) {
			type = "profile";
			values.put("field", PROFILE_FIELDS.get(profile.field().ordinal()));
			values.put("op", name(profile.op()));
			values.put("value", text(profile.value()));
		}
		else if (rule instanceof SegmentRule.Bought bought) {
			type = "bought";
			values.put("product", text(bought.product()));
			values.put("transactionType", text(bought.transactionType()));
			values.put("withinDays", text(bought.withinDays()));
			values.put("minCount", text(bought.minCount()));
		}
		else if (rule instanceof SegmentRule.Spend spend) {
			type = "spend";
			values.put("op", name(spend.op()));
			values.put("amount", (spend.amount() != null) ? spend.amount().toPlainString() : "");
			values.put("currency", text(spend.currency()));
			values.put("withinDays", text(spend.withinDays()));
		}
		else if (rule instanceof SegmentRule.Engaged engaged) {
			type = "engaged";
			values.put("interaction", text(engaged.interaction()));
			values.put("channel", text(engaged.channel()));
			values.put("withinDays", text(engaged.withinDays()));
		}
		else if (rule instanceof SegmentRule.Consented consented) {
			type = "consent";
			values.put("channel", text(consented.channel()));
			values.put("purpose", text(consented.purpose()));
		}
		else {
			type = "reachable";
			values.put("channel", text(((SegmentRule.Reachable) rule).channel()));
		}
		return new Node(type, values, new ArrayList<>());
	}

	private static String name(SegmentRule.@Nullable Comparison op) {
		return (op != null) ? op.name().toLowerCase(Locale.ROOT) : "";
	}

	private static String text(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof List<?> list) {
			return String.join(", ", list.stream().map(String::valueOf).toList());
		}
		if (value instanceof BigDecimal decimal) {
			return decimal.toPlainString();
		}
		return String.valueOf(value);
	}

	/**
	 * The rule the tree describes. Values the form cannot even read (a word where a
	 * number belongs) are reported in {@code problems} under their field's path; the
	 * segment service checks the rest.
	 * @param attributeTypes the declared attributes' types, to read their values as typed
	 */
	static SegmentRule rule(Node node, Map<String, String> attributeTypes, Map<String, String> problems) {
		return rule(node, ROOT, attributeTypes, problems);
	}

	private static SegmentRule rule(Node node, String path, Map<String, String> types, Map<String, String> problems) {
		switch (node.type()) {
			case "and", "or" -> {
				List<SegmentRule> rules = new ArrayList<>();
				for (int i = 0; i < node.children().size(); i++) {
					rules.add(rule(node.children().get(i), path + ".rules[" + i + "]", types, problems));
				}
				return "and".equals(node.type()) ? new SegmentRule.And(rules) : new SegmentRule.Or(rules);
			}
			case "not" -> {
				return new SegmentRule.Not(rule(node.children().get(0), path + ".rule", types, problems));
			}
			case "profile" -> {
				SegmentRule.Comparison op = comparison(node.value("op"));
				return new SegmentRule.Profile(profileField(node.value("field")), op, (op == SegmentRule.Comparison.IN)
						? list(node.value("value"), null) : blankToNull(node.value("value")));
			}
			case "bought" -> {
				return new SegmentRule.Bought(blankToNull(node.value("product")),
						blankToNull(node.value("transactionType")), whole(node, "withinDays", path, problems),
						whole(node, "minCount", path, problems));
			}
			case "spend" -> {
				BigDecimal amount = null;
				if (node.value("amount").isEmpty()) {
					problems.put(path + ".amount", "Enter an amount");
				}
				else {
					try {
						amount = new BigDecimal(node.value("amount"));
					}
					catch (NumberFormatException ex) {
						problems.put(path + ".amount", "The amount must be a number, such as 250 or 99.50");
					}
				}
				return new SegmentRule.Spend(comparison(node.value("op")), (amount != null) ? amount : BigDecimal.ZERO,
						blankToNull(node.value("currency")), whole(node, "withinDays", path, problems));
			}
			case "engaged" -> {
				return new SegmentRule.Engaged(constant(InteractionType.class, node.value("interaction")),
						constant(Channel.class, node.value("channel")), whole(node, "withinDays", path, problems),
						null);
			}
			case "consent" -> {
				return new SegmentRule.Consented(constant(Channel.class, node.value("channel")),
						constant(Purpose.class, node.value("purpose")));
			}
			case "reachable" -> {
				return new SegmentRule.Reachable(constant(Channel.class, node.value("channel")));
			}
			default -> {
				String attributeType = types.get(node.value("name"));
				SegmentRule.Comparison op = comparison(node.value("op"));
				Object value = (op == SegmentRule.Comparison.IN) ? list(node.value("value"), attributeType)
						: (op == SegmentRule.Comparison.EXISTS) ? null : typed(node.value("value"), attributeType);
				return new SegmentRule.Attribute(node.value("name"), op, value);
			}
		}
	}

	private static @Nullable Integer whole(Node node, String field, String path, Map<String, String> problems) {
		String text = node.value(field);
		if (text.isEmpty()) {
			return null;
		}
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			problems.put(path + "." + field, "Enter a whole number, such as 90");
			return null;
		}
	}

	private static @Nullable String blankToNull(String text) {
		return text.isEmpty() ? null : text;
	}

	private static @Nullable List<Object> list(String text, @Nullable String type) {
		if (text.isBlank()) {
			return null;
		}
		List<Object> values = new ArrayList<>();
		for (String part : text.split(",")) {
			if (!part.isBlank()) {
				values.add(typed(part.strip(), type));
			}
		}
		return values;
	}

	/**
	 * A value read as the attribute's type; left as text when it does not read, so the
	 * segment service names the type it needs.
	 */
	private static @Nullable Object typed(String text, @Nullable String type) {
		if (text.isEmpty()) {
			return null;
		}
		if ("NUMBER".equals(type)) {
			try {
				return new BigDecimal(text);
			}
			catch (NumberFormatException ex) {
				return text;
			}
		}
		if ("BOOLEAN".equals(type) && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
			return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
		}
		return text;
	}

	private static SegmentRule.@Nullable Comparison comparison(String op) {
		return OPS.contains(op) ? SegmentRule.Comparison.valueOf(op.toUpperCase(Locale.ROOT)) : null;
	}

	private static SegmentRule.@Nullable ProfileField profileField(String field) {
		int index = PROFILE_FIELDS.indexOf(field);
		return (index >= 0) ? SegmentRule.ProfileField.values()[index] : null;
	}

	private static <E extends Enum<E>> @Nullable E constant(Class<E> type, String name) {
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equals(name)) {
				return constant;
			}
		}
		return null;
	}

	/**
	 * Applies one of the builder's buttons: {@code add:<group>} adds a condition,
	 * {@code group:<group>} a nested group, {@code not:<node>} negates a node or takes
	 * the negation away, {@code remove:<node>} removes it.
	 * @return the tree's new root
	 */
	static Node apply(Node root, String action) {
		int colon = action.indexOf(':');
		if (colon < 0) {
			return root;
		}
		String verb = action.substring(0, colon);
		String path = action.substring(colon + 1);
		Node node = at(root, path);
		if (node == null) {
			return root;
		}
		switch (verb) {
			case "add" -> {
				if (node.group()) {
					node.children().add(Node.condition("attribute"));
				}
				return root;
			}
			case "group" -> {
				if (node.group()) {
					node.children().add(Node.group("or", Node.condition("attribute")));
				}
				return root;
			}
			case "not" -> {
				return replace(root, path, node.negation() ? node.children().get(0) : Node.group("not", node));
			}
			case "remove" -> {
				if (ROOT.equals(path)) {
					return empty();
				}
				String parentPath = parent(path);
				Node parent = at(root, parentPath);
				if (parent != null && parent.negation()) {
					return apply(root, "remove:" + parentPath);
				}
				if (parent != null) {
					parent.children().remove(index(path));
				}
				return root;
			}
			default -> {
				return root;
			}
		}
	}

	private static @Nullable Node at(Node root, String path) {
		if (ROOT.equals(path)) {
			return root;
		}
		if (!path.startsWith(ROOT)) {
			return null;
		}
		Node parent = at(root, parent(path));
		if (parent == null) {
			return null;
		}
		if (path.endsWith(".rule")) {
			return parent.negation() ? parent.children().get(0) : null;
		}
		int index = index(path);
		return (parent.group() && index >= 0 && index < parent.children().size()) ? parent.children().get(index) : null;
	}

	private static Node replace(Node root, String path, Node replacement) {
		if (ROOT.equals(path)) {
			return replacement;
		}
		Node parent = at(root, parent(path));
		if (parent != null) {
			parent.children().set(path.endsWith(".rule") ? 0 : index(path), replacement);
		}
		return root;
	}

	private static String parent(String path) {
		if (path.endsWith(".rule")) {
			return path.substring(0, path.length() - ".rule".length());
		}
		int bracket = path.lastIndexOf(".rules[");
		return (bracket > 0) ? path.substring(0, bracket) : ROOT;
	}

	private static int index(String path) {
		int open = path.lastIndexOf('[');
		int close = path.lastIndexOf(']');
		try {
			return Integer.parseInt(path.substring(open + 1, close));
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * The segment service's messages keyed by where the page shows them: a value's
	 * message at its field ({@code .value[2]} at {@code .value}), a group's "at least one
	 * rule" at the group.
	 */
	static Map<String, String> placed(Map<String, String> problems) {
		Map<String, String> placed = new TreeMap<>();
		problems.forEach((path, message) -> {
			String at = path.matches(".*\\.value\\[\\d+]$") ? path.substring(0, path.lastIndexOf('[')) : path;
			if (at.endsWith(".rules")) {
				at = at.substring(0, at.length() - ".rules".length());
			}
			placed.merge(at, label(at) + " " + message, (first, second) -> first + "; " + second);
		});
		return placed;
	}

	private static String label(String path) {
		if (path.equals("key") || path.equals("name")) {
			return path.equals("key") ? "Key" : "Name";
		}
		if (path.equals(ROOT)) {
			return "The rule";
		}
		String last = path.substring(path.lastIndexOf('.') + 1);
		return switch (last) {
			case "name" -> "Attribute";
			case "value" -> "Value";
			case "op" -> "Comparison";
			case "field" -> "Profile field";
			case "withinDays" -> "Within days";
			case "minCount" -> "Times bought";
			case "amount" -> "Amount";
			case "currency" -> "Currency";
			case "interaction" -> "Interaction";
			case "channel" -> "Channel";
			case "purpose" -> "Purpose";
			default -> "This condition";
		};
	}

}
