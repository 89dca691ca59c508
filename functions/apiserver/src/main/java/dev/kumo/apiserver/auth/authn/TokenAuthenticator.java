package dev.kumo.apiserver.auth.authn;

import dev.kumo.apiserver.auth.UserInfo;

import java.util.Optional;

/** Turns a bearer token into a user: one kind of token per implementation (static, bootstrap, JWT, AWS IAM). */
public interface TokenAuthenticator {
    /**
     * The user the token stands for; empty when the token is not of this authenticator's kind, so that the next
     * one may try it.
     *
     * @throws InvalidTokenException when the token is of this kind but does not hold
     */
    Optional<UserInfo> authenticate(String token);
}
