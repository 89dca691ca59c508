package dev.kumo.apimachinery.resource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code k8s.io/apimachinery/pkg/api/resource.Quantity}): an exact decimal number
 * with the suffix format it was written in, as used for cpu, memory and quota amounts.
 *
 * <p>Parsing follows Kubernetes: a signed decimal number, then a decimal SI suffix ({@code n u m k M G T P E}),
 * a binary SI suffix ({@code Ki Mi Gi Ti Pi Ei}) or a decimal exponent ({@code e3}, {@code E-2}); values are rounded
 * up (away from zero) to nano precision, and binary values are capped at 2^63-1. {@link #toString()} is
 * Kubernetes' canonical form, the one the API serves and error messages show ({@code 1000m} is {@code 1},
 * {@code 1536Mi} stays {@code 1536Mi}, {@code 0.5} is {@code 500m}).
 */
public final class Quantity implements Comparable<Quantity> {
    /** The pattern in Kubernetes' error message for a malformed quantity. */
    public static final String FORMAT_ERROR = "quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    /** The largest value whose milli value still fits a signed 64-bit integer (Kubernetes' MaxMilliValue). */
    public static final long MAX_MILLI_VALUE = Long.MAX_VALUE / 1000;
    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private static final Pattern SYNTAX = Pattern.compile("([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal ONE_THOUSAND = BigDecimal.valueOf(1000);
    private static final BigInteger BINARY_BASE = BigInteger.valueOf(1024);
    private static final int NANO_SCALE = 9;

    /** How a quantity is written, which its canonical form keeps. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value;
        this.format = format;
    }

    public static Quantity of(long value, Format format) {
        return new Quantity(BigDecimal.valueOf(value), format);
    }

    public static Quantity ofMillis(long millis) {
        return new Quantity(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
    }

    /** Parses a quantity; throws {@link IllegalArgumentException} with Kubernetes' message when it is malformed. */
    public static Quantity parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher matcher = SYNTAX.matcher(text);
        if (text.isEmpty() || !matcher.matches()) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        String suffix = matcher.group(3);
        BigDecimal number;
        try {
            number = new BigDecimal(matcher.group(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unable to parse numeric part of quantity", e);
        }
        if (matcher.group(1).equals("-")) {
            number = number.negate();
        }
        Format format;
        BigDecimal amount;
        int decimal = indexOf(DECIMAL_SUFFIXES, suffix);
        int binary = indexOf(BINARY_SUFFIXES, suffix);
        Matcher exponent = EXPONENT.matcher(suffix);
        if (decimal >= 0) {
            format = Format.DECIMAL_SI;
            amount = number.scaleByPowerOfTen((decimal - 3) * 3);
        } else if (binary >= 0) {
            format = Format.BINARY_SI;
            amount = number.multiply(new BigDecimal(BINARY_BASE.pow(binary)));
        } else if (exponent.matches()) {
            format = Format.DECIMAL_EXPONENT;
            int power;
            try {
                power = Integer.parseInt(exponent.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unable to parse quantity's suffix", e);
            }
            amount = number.scaleByPowerOfTen(power);
        } else if (suffix.matches("[eEinumkKMGTP]*[-+]?[0-9]*")) {
            throw new IllegalArgumentException("unable to parse quantity's suffix");
        } else {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        if (format == Format.BINARY_SI && amount.compareTo(MAX_BINARY) > 0) {
            amount = MAX_BINARY;
        }
        if (amount.scale() > NANO_SCALE) {
            amount = amount.setScale(NANO_SCALE, RoundingMode.UP);
        }
        return new Quantity(amount, format);
    }

    private static int indexOf(String[] suffixes, String suffix) {
        for (int i = 0; i < suffixes.length; i++) {
            if (suffixes[i].equals(suffix)) {
                return i;
            }
        }
        return -1;
    }

    public BigDecimal amount() {
        return value;
    }

    public Format format() {
        return format;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    public int signum() {
        return value.signum();
    }

    /** The value rounded up (away from zero) to an integer, saturated at the long range (Kubernetes' Value). */
    public long value() {
        return saturated(value.setScale(0, RoundingMode.UP));
    }

    /** The value in thousandths, rounded up (away from zero), saturated at the long range (MilliValue). */
    public long milliValue() {
        return saturated(value.multiply(ONE_THOUSAND).setScale(0, RoundingMode.UP));
    }

    private static long saturated(BigDecimal integral) {
        if (integral.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        if (integral.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return integral.longValueExact();
    }

    /** The sum, in this quantity's format (or the other's when this one is zero, as Kubernetes' Add does). */
    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), isZero() ? other.format : format);
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), isZero() ? other.format : format);
    }

    /** Whether the value has no fractional part. */
    public boolean isInteger() {
        return value.stripTrailingZeros().scale() <= 0;
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    /** Equal values are equal quantities whatever their format, as Kubernetes' semantic equality has it. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    /** Kubernetes' canonical form (Quantity.String()). */
    @Override
    public String toString() {
        if (isZero()) {
            return "0";
        }
        if (format == Format.BINARY_SI && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && isInteger()) {
            return base1024(value.toBigIntegerExact());
        }
        return base10(format == Format.DECIMAL_EXPONENT);
    }

    private String base10(boolean exponentForm) {
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int remainder = exponent % 3;
        if (remainder == 1 || remainder == -2) {
            mantissa = mantissa.multiply(BigInteger.TEN);
            exponent -= 1;
        } else if (remainder == 2 || remainder == -1) {
            mantissa = mantissa.multiply(BigInteger.valueOf(100));
            exponent -= 2;
        }
        if (exponentForm) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        int index = exponent / 3 + 3;
        if (index >= 0 && index < DECIMAL_SUFFIXES.length) {
            return mantissa + DECIMAL_SUFFIXES[index];
        }
        return mantissa + "e" + exponent;
    }

    private static String base1024(BigInteger integer) {
        int exponent = 0;
        while (exponent < BINARY_SUFFIXES.length - 1) {
            BigInteger[] divided = integer.divideAndRemainder(BINARY_BASE);
            if (divided[1].signum() != 0) {
                break;
            }
            integer = divided[0];
            exponent++;
        }
        return integer + BINARY_SUFFIXES[exponent];
    }
}
