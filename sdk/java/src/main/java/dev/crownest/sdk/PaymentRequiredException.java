package dev.crownest.sdk;

/** 402: the tenant's budget or credit is used up. */
public class PaymentRequiredException extends CrowNestException {

    public PaymentRequiredException(Details details) {
        super(details);
    }
}
