package org.iotx509;

/**
 * Thrown by every libiotx509 function that returns an iotx509_error_code
 * when it fails: the negative IOTX509_E* code, its iotx509_strerror() name
 * and the iotx509_error_last() message read right after the failing call.
 */
public class Iotx509Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final String codeName;

  public Iotx509Exception(int code, String codeName, String message) {
    super(message);
    this.code = code;
    this.codeName = codeName;
  }

  /** The negative IOTX509_E* code (compare with Iotx509Constants.E...). */
  public int getCode() {
    return code;
  }

  /** iotx509_strerror() of the code. */
  public String getCodeName() {
    return codeName;
  }

  @Override
  public String toString() {
    return "Iotx509Exception: " + codeName + " (" + code + "): " + getMessage();
  }
}
