package dev.crownest.sdk;

/** 402: the tenant's budget or credit is used up. */
public class PaymentRequiredException extends CrowNestException {

    /** An error that says what {@code details} say. */
    public PaymentRequiredException(Details details) {
        super(details);
    }
}
