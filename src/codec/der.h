// DER (ITU-T X.690) elements, as much as statd's certificate code needs: read
// one tag-length-value through a Reader, append one. Single-byte tags and
// definite lengths below 64 KiB only; a certificate here is well under 1 KiB.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

#include "base/reader.h"

struct DerElement {
  uint8_t tag = 0;
  std::string_view value;  ///< the contents octets
  std::string_view whole;  ///< tag, length and contents, as they were read
};

/// Reads the next element. False (the cursor unmoved) when the input does not
/// hold a whole one or its length form is outside the subset above.
bool der_read(Reader* r, DerElement* out);

/// Appends tag, the minimal length form, and `value`.
void der_append(std::string* out, uint8_t tag, std::string_view value);
